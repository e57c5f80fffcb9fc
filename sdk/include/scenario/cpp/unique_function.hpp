#pragma once
// A move-only std::function: callbacks given to the HTTP and KV wrappers usually capture
// the (move-only) completion handle, which std::function cannot hold. (C++23 has
// std::move_only_function; we build as C++20.)
#include <concepts>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

namespace sr::sdk {

template <class Signature>
class unique_function;

template <class R, class... Args>
class unique_function<R(Args...)> {
public:
    unique_function() noexcept = default;
    unique_function(std::nullptr_t) noexcept {}

    template <class F>
        requires(!std::same_as<std::remove_cvref_t<F>, unique_function> &&
                 std::is_invocable_r_v<R, std::decay_t<F>&, Args...>)
    unique_function(F&& f) : impl_(std::make_unique<model<std::decay_t<F>>>(std::forward<F>(f))) {}

    unique_function(unique_function&&) noexcept = default;
    unique_function& operator=(unique_function&&) noexcept = default;

    explicit operator bool() const noexcept { return impl_ != nullptr; }

    // Throws std::bad_function_call when empty.
    R operator()(Args... args) {
        if (!impl_) throw std::bad_function_call();
        return impl_->call(std::forward<Args>(args)...);
    }

private:
    struct concept_base {
        virtual ~concept_base() = default;
        virtual R call(Args&&... args) = 0;
    };
    template <class F>
    struct model final : concept_base {
        template <class G>
        explicit model(G&& g) : fn(std::forward<G>(g)) {}
        R call(Args&&... args) override { return std::invoke(fn, std::forward<Args>(args)...); }
        F fn;
    };

    std::unique_ptr<concept_base> impl_;
};

} // namespace sr::sdk
