#pragma once
// Implemented by the host: logging and optional services offered to plugins.
#include <string>
#include <string_view>

#include <scenario/sr_plugin.h>

namespace sr::core {

class call_context;

class service_provider {
public:
    virtual ~service_provider() = default;
    // [thread-safe] `call` is null for lines not tied to a call (init, deinit, load).
    virtual void log(const std::string& plugin_id, const call_context* call, sr_log_level level,
                     std::string_view message) noexcept = 0;
    // [thread-safe] The table for a service id such as SR_HTTP_V1 ("sr.http/1"), or nullptr.
    virtual const void* find_service(std::string_view service_id) noexcept = 0;
};

} // namespace sr::core
