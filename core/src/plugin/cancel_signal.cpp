#include "sr/core/plugin/cancel_signal.hpp"

#include <utility>

namespace sr::core {

bool cancel_signal::cancelled() const noexcept {
    return cancelled_.load(std::memory_order_acquire);
}

void cancel_signal::cancel() {
    std::vector<std::function<void()>> subscribers;
    {
        std::lock_guard lock(mutex_);
        if (cancelled_.exchange(true, std::memory_order_acq_rel)) return;
        subscribers.swap(subscribers_);
    }
    // Outside the lock: a subscriber may subscribe again or end the call it belongs to.
    for (auto& fn : subscribers) fn();
}

void cancel_signal::subscribe(std::function<void()> fn) {
    {
        std::lock_guard lock(mutex_);
        if (!cancelled_.load(std::memory_order_acquire)) {
            subscribers_.push_back(std::move(fn));
            return;
        }
    }
    fn();
}

} // namespace sr::core
