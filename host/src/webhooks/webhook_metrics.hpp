#pragma once
// Counters of webhook deliveries for /metrics (Prometheus): accepted, duplicates, challenge
// handshakes, and refusals by reason. Thread-safe; GET /metrics (observability/metrics_routes)
// reads snapshot().
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace sr::host {

struct webhook_metrics_snapshot {
    std::uint64_t accepted = 0;    // new runs started by a delivery
    std::uint64_t duplicates = 0;  // deliveries answered with an earlier run
    std::uint64_t challenges = 0;  // provider handshakes answered (Monday)
    std::map<std::string, std::uint64_t> refused; // reason code → count
};

class webhook_metrics {
public:
    void count_accepted() noexcept { accepted_.fetch_add(1, std::memory_order_relaxed); }
    void count_duplicate() noexcept { duplicates_.fetch_add(1, std::memory_order_relaxed); }
    void count_challenge() noexcept { challenges_.fetch_add(1, std::memory_order_relaxed); }
    // Reasons are stable codes such as "bad_signature", "stale_timestamp", "unknown_endpoint",
    // "body_too_large", "invalid_body".
    void count_refused(std::string_view reason);

    webhook_metrics_snapshot snapshot() const;
    // Adds counts gathered elsewhere (a batch's, once its transaction committed).
    void add(const webhook_metrics_snapshot& counts);

private:
    std::atomic<std::uint64_t> accepted_{0}, duplicates_{0}, challenges_{0};
    mutable std::mutex mutex_;
    std::map<std::string, std::uint64_t, std::less<>> refused_;
};

} // namespace sr::host
