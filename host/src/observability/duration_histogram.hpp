#pragma once
// One Prometheus histogram series: counts per bucket and a sum, updated without a lock by
// whichever thread finishes a node.
#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace sr::host {

struct histogram_snapshot {
    std::vector<double> bounds;          // upper bounds (le), ascending, without +Inf
    std::vector<std::uint64_t> cumulative; // bounds.size() + 1 entries; the last is +Inf
    std::uint64_t count = 0;             // always equal to cumulative.back()
    double sum = 0;
};

class duration_histogram {
public:
    // `bounds`: ascending upper bounds in seconds; +Inf is implied.
    explicit duration_histogram(std::span<const double> bounds);

    // Thread-safe and lock-free.
    void observe(double seconds) noexcept;
    // Cumulative counts derived from one read of each bucket, so +Inf equals the count even
    // while other threads observe.
    histogram_snapshot snapshot() const;

private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_; // bounds_.size() + 1, not cumulative
    std::atomic<double> sum_{0};
};

} // namespace sr::host
