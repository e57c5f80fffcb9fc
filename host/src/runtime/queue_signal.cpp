#include "runtime/queue_signal.hpp"

#include <string>

#include <pqxx/nontransaction>

#include "runtime/run_queue.hpp"

namespace sr::host {

namespace {

std::int64_t steady_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

queue_signal::queue_signal(std::chrono::milliseconds notify_interval)
    : interval_ns_(std::chrono::duration_cast<std::chrono::nanoseconds>(notify_interval).count()) {}

void queue_signal::set_local_wake(std::function<void()> wake) { local_wake_ = std::move(wake); }

bool queue_signal::notify_due() noexcept {
    // One producer wins each interval; the others skip without waiting.
    auto now = steady_ns();
    auto last = last_notify_ns_.load(std::memory_order_relaxed);
    if (last != 0 && now - last < interval_ns_) return false;
    return last_notify_ns_.compare_exchange_strong(last, now, std::memory_order_relaxed);
}

void queue_signal::queued(pqxx::connection& conn) noexcept {
    if (local_wake_) local_wake_();
    if (!notify_due()) return;
    try {
        pqxx::nontransaction tx(conn);
        tx.exec(std::string("NOTIFY ") + run_queue_channel);
        sent_.fetch_add(1, std::memory_order_relaxed);
    } catch (...) {
        // Other hosts find the run at their next poll.
    }
}

} // namespace sr::host
