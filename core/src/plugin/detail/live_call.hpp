#pragma once
// One call into a plugin, from invoke() until complete() (or a failed execute()) ends it.
//
// Lifetime: the call owns itself (self_) until it is finished, so the sr_call stays valid for
// the plugin however late it completes. invoke() holds a second reference across execute(),
// because the plugin may complete inside execute() and a buggy one may complete twice there;
// a cancel in progress holds a third, so the plugin's cancel() never sees a freed call.
//
// Cancel vs complete: sr_plugin.h promises that cancel() runs only before complete() for the
// call has returned. forward_cancel() calls the plugin under cancel_mutex_ after checking the
// completed flag, and every completion passes through that mutex after setting the flag, so a
// complete() racing with a cancel() waits for it before returning. The mutex is recursive
// because a plugin may complete the call from inside its own cancel().
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

#include <scenario/sr_plugin.h>

#include "call_state.hpp"
#include "instance_core.hpp"
#include "sr/core/plugin/call_context.hpp"
#include "sr/core/plugin/call_outcome.hpp"
#include "sr/core/plugin/call_request.hpp"

namespace sr::core::detail {

class live_call : public std::enable_shared_from_this<live_call> {
public:
    live_call(std::shared_ptr<instance_core> core, call_request request, std::string plugin_id,
              std::shared_ptr<cancel_signal> cancel, std::function<void(call_outcome)> done);
    ~live_call();
    live_call(const live_call&) = delete;
    live_call& operator=(const live_call&) = delete;

    static live_call* from(const sr_call* call) noexcept { return state_of(call)->call; }

    // Hands the call to the plugin's execute() and deals with what it returned.
    void start();
    // host->complete(): exactly once; a second call returns SR_ERR_ALREADY_COMPLETED.
    sr_status complete(const sr_result* result) noexcept;
    bool is_cancelled() const noexcept { return context_.should_stop(); }

private:
    void on_executed(sr_status status) noexcept;
    void forward_cancel() noexcept;
    bool claim() noexcept { return !completed_.exchange(true, std::memory_order_acq_rel); }
    void finish(call_outcome outcome) noexcept;
    call_outcome read_result(const sr_result* result) const;
    std::string describe() const;

    std::shared_ptr<instance_core> core_;
    call_context context_;
    call_state state_;
    std::function<void(call_outcome)> done_;
    std::atomic<bool> completed_{false};
    std::recursive_mutex cancel_mutex_;
    std::shared_ptr<live_call> self_;
};

// The sr_host entries that take a call.
sr_status host_complete(const sr_call* call, const sr_result* result) noexcept;
int32_t host_is_cancelled(const sr_call* call) noexcept;

} // namespace sr::core::detail
