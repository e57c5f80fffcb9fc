#pragma once
// A handler for one kind of call, written either way:
//   synchronous:  [](sr::sdk::action_context& ctx) -> sr::sdk::result { ... }
//   asynchronous: [](sr::sdk::action_context ctx, sr::sdk::completion done) { ... }
// Both are stored in the asynchronous shape; a synchronous handler completes with what it
// returns. Handlers may run on several host threads at once.
#include <scenario/cpp/action_context.hpp>
#include <scenario/cpp/completion.hpp>
#include <scenario/cpp/result.hpp>

#include <concepts>
#include <functional>
#include <type_traits>
#include <utility>

namespace sr::sdk {

template <class F>
concept sync_handler = std::is_invocable_r_v<result, F&, action_context&>;

template <class F>
concept async_handler = std::is_invocable_v<F&, action_context, completion>;

class handler {
public:
    handler() = default;

    template <class F>
        requires(!std::same_as<std::remove_cvref_t<F>, handler> && (sync_handler<F> || async_handler<F>))
    handler(F f) {
        if constexpr (sync_handler<F>) {
            fn_ = [f = std::move(f)](action_context ctx, completion done) mutable { done(f(ctx)); };
        } else {
            fn_ = std::move(f);
        }
    }

    explicit operator bool() const noexcept { return static_cast<bool>(fn_); }

    void operator()(action_context ctx, completion done) const { fn_(std::move(ctx), std::move(done)); }

private:
    std::function<void(action_context, completion)> fn_;
};

} // namespace sr::sdk
