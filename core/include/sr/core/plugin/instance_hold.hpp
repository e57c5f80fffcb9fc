#pragma once
// Keeps a plugin instance from being deinitialised and unloaded while host work that will call
// back into the plugin (an sr.http/1 or sr.kv/1 callback) is still pending.
//
// Why: a plugin may complete its call from inside such a callback; the call then ends while
// plugin code is still running on the host's I/O thread. Counting calls alone would let the
// instance be destroyed (deinit, dlclose) right there and pull the code out from under that
// thread. A host service takes a hold when it accepts work for a call and releases it (by
// destroying its last copy) once the plugin's callback has returned; the instance waits for
// both its calls and its holds before deinit.
#include <functional>
#include <memory>

namespace sr::core {

namespace detail {
class instance_core;
struct hold_token;
} // namespace detail

class instance_hold {
public:
    // Holds nothing: never abandoned, so work taken without a plugin (tests, host code) runs.
    instance_hold() = default;

    // True once the instance's owner stopped waiting for it (the drain timed out): a callback
    // still to come must then be dropped instead of calling into the plugin.
    bool abandoned() const noexcept;

    // `cancel` runs (on the unloading thread) if the instance is unloaded while this hold still
    // exists, so pending work that outlived its call ends early. Replaces an earlier canceller.
    void on_unload(std::function<void()> cancel) const;

    explicit operator bool() const noexcept { return token_ != nullptr; }

private:
    friend class detail::instance_core;
    explicit instance_hold(std::shared_ptr<detail::hold_token> token) noexcept : token_(std::move(token)) {}

    // Shared by copies: the hold ends when the last copy goes.
    std::shared_ptr<detail::hold_token> token_;
};

} // namespace sr::core
