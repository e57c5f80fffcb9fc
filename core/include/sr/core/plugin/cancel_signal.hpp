#pragma once
// Cancellation shared between a call and the services working for it (e.g. HTTP).
#include <atomic>
#include <functional>
#include <mutex>
#include <vector>

namespace sr::core {

class cancel_signal {
public:
    bool cancelled() const noexcept;
    // Marks the signal cancelled and runs every subscriber once, on the calling thread.
    // Later calls do nothing.
    void cancel();
    // Runs fn at once (on the calling thread) if the signal is already cancelled.
    void subscribe(std::function<void()> fn);

private:
    std::atomic<bool> cancelled_{false};
    std::mutex mutex_;
    std::vector<std::function<void()>> subscribers_;
};

} // namespace sr::core
