#include "observability/duration_histogram.hpp"

#include <algorithm>

namespace sr::host {

duration_histogram::duration_histogram(std::span<const double> bounds)
    : bounds_(bounds.begin(), bounds.end()), buckets_(new std::atomic<std::uint64_t>[bounds.size() + 1]) {
    for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void duration_histogram::observe(double seconds) noexcept {
    // `le` is inclusive: a value equal to a bound belongs to that bound's bucket.
    auto it = std::lower_bound(bounds_.begin(), bounds_.end(), seconds);
    buckets_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(seconds, std::memory_order_relaxed);
}

histogram_snapshot duration_histogram::snapshot() const {
    histogram_snapshot out;
    out.bounds = bounds_;
    out.cumulative.reserve(bounds_.size() + 1);
    std::uint64_t running = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        running += buckets_[i].load(std::memory_order_relaxed);
        out.cumulative.push_back(running);
    }
    out.count = running;
    out.sum = sum_.load(std::memory_order_relaxed);
    return out;
}

} // namespace sr::host
