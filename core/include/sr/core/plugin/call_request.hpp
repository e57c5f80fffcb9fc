#pragma once
// What the host asks a plugin to do: an owning copy that becomes the sr_call the plugin sees.
#include <cstdint>
#include <string>

#include <scenario/sr_plugin.h>

namespace sr::core {

struct call_request {
    sr_call_kind kind = SR_CALL_ACTION;
    std::string target, field, input_json = "{}", settings_json = "{}", connection_json;
    std::string run_id, node_id, correlation_id, idempotency_key, scope;
    std::string cursor_json = "null", raw_body, headers_json = "{}", from_version;
    uint32_t attempt = 1;
    int64_t deadline_unix_ms = 0;
};

} // namespace sr::core
