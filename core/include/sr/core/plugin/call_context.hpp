#pragma once
// Per-call host state behind an sr_call*. Host services recover it with call_context::from().
#include <cstdint>
#include <memory>
#include <string>

#include <scenario/sr_plugin.h>

#include "sr/core/plugin/call_request.hpp"
#include "sr/core/plugin/cancel_signal.hpp"
#include "sr/core/plugin/instance_hold.hpp"
#include "sr/core/plugin/service_provider.hpp"

namespace sr::core {

namespace detail {
class instance_core;
}

class call_context {
public:
    // `core` is the instance the call runs in (plugin_instance::invoke passes it); a context
    // made without one (tests) has no services and hands out empty holds.
    call_context(call_request request, std::string plugin_id, std::shared_ptr<cancel_signal> cancel,
                 std::shared_ptr<detail::instance_core> core = {});
    call_context(const call_context&) = delete;
    call_context& operator=(const call_context&) = delete;

    // The live context of a call started by plugin_instance::invoke(); never null for a
    // live call, null for a null pointer. Only valid for sr_call pointers the host made.
    static call_context* from(const sr_call* call) noexcept;

    const call_request& request() const noexcept { return request_; }
    const std::string& plugin_id() const noexcept { return plugin_id_; }
    std::shared_ptr<cancel_signal> cancel_token() const noexcept { return cancel_; }
    int64_t deadline_unix_ms() const noexcept { return request_.deadline_unix_ms; }
    // True once the call is cancelled or its deadline has passed (what is_cancelled() reports).
    bool should_stop() const noexcept;

    // The provider the call's instance was created with: host services reach their own state
    // through it, so no process-wide "current host" is needed.
    // Null for a context made without an instance.
    service_provider* services() const noexcept;
    // Keeps the call's instance loaded until the returned hold (and every copy) is gone; take
    // one when accepting work that will call back into the plugin. Only while the call is live.
    instance_hold hold_instance() const;

private:
    call_request request_;
    std::string plugin_id_;
    std::shared_ptr<cancel_signal> cancel_;
    std::shared_ptr<detail::instance_core> core_;
};

} // namespace sr::core
