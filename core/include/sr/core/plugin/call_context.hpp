#pragma once
// Per-call host state behind an sr_call*. Host services recover it with call_context::from().
#include <cstdint>
#include <memory>
#include <string>

#include <scenario/sr_plugin.h>

#include "sr/core/plugin/call_request.hpp"
#include "sr/core/plugin/cancel_signal.hpp"

namespace sr::core {

class call_context {
public:
    call_context(call_request request, std::string plugin_id, std::shared_ptr<cancel_signal> cancel);
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

private:
    call_request request_;
    std::string plugin_id_;
    std::shared_ptr<cancel_signal> cancel_;
};

} // namespace sr::core
