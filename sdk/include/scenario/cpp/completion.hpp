#pragma once
// The move-only handle an asynchronous handler uses to finish its call, exactly once.
// Completing empties the handle, so a second call is ignored; destroying a handle that never
// completed finishes the call as a fatal "plugin_dropped_call", so the host never waits forever.
#include <scenario/cpp/detail/call_state.hpp>
#include <scenario/cpp/result.hpp>

#include <exception>
#include <memory>
#include <utility>

namespace sr::sdk {

class completion {
public:
    explicit completion(std::shared_ptr<detail::call_state> state) noexcept : state_(std::move(state)) {}
    completion(completion&& other) noexcept = default;
    completion& operator=(completion&& other) noexcept {
        if (this != &other) {
            drop();
            state_ = std::move(other.state_);
        }
        return *this;
    }
    completion(const completion&) = delete;
    completion& operator=(const completion&) = delete;
    ~completion() { drop(); }

    // Completes the call; true when this was the call's completion, false when the handle
    // was empty or the call had already ended (e.g. cancelled).
    bool operator()(const result& r) noexcept { return complete(r); }
    bool complete(const result& r) noexcept {
        auto state = std::move(state_);
        return state != nullptr && state->complete(r);
    }

    // True while the handle still owns an open call.
    explicit operator bool() const noexcept { return state_ != nullptr && !state_->completed(); }

private:
    void drop() noexcept {
        auto state = std::move(state_);
        if (state == nullptr || state->completed()) return;
        // Unwinding out of the handler: run_guarded() reports the exception itself.
        if (detail::current_call == state.get() && std::uncaught_exceptions() > 0) {
            state->drop_deferred = true;
            return;
        }
        state->complete_dropped();
    }

    std::shared_ptr<detail::call_state> state_;
};

} // namespace sr::sdk
