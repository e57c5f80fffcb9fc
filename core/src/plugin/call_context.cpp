#include "sr/core/plugin/call_context.hpp"

#include <chrono>
#include <utility>

#include "detail/call_state.hpp"
#include "detail/instance_core.hpp"

namespace sr::core {

call_context::call_context(call_request request, std::string plugin_id, std::shared_ptr<cancel_signal> cancel,
                           std::shared_ptr<detail::instance_core> core)
    : request_(std::move(request)), plugin_id_(std::move(plugin_id)), cancel_(std::move(cancel)),
      core_(std::move(core)) {}

call_context* call_context::from(const sr_call* call) noexcept {
    return call ? detail::state_of(call)->ctx : nullptr;
}

bool call_context::should_stop() const noexcept {
    if (cancel_ && cancel_->cancelled()) return true;
    if (request_.deadline_unix_ms == 0) return false;
    using namespace std::chrono;
    auto now = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    return now >= request_.deadline_unix_ms;
}

service_provider* call_context::services() const noexcept { return core_ ? &core_->services() : nullptr; }

instance_hold call_context::hold_instance() const { return core_ ? core_->acquire_hold() : instance_hold(); }

} // namespace sr::core
