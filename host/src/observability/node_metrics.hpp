#pragma once
// Node durations by (integration, action, outcome) for /metrics, recorded in-process by the
// run worker as each run finishes (one observation per node that ran to an end on this host).
#include <map>
#include <memory>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "observability/duration_histogram.hpp"

namespace sr::host {

struct node_row;

class node_metrics {
public:
    // 1 ms to 5 min: system.* nodes take well under a millisecond, service calls up to their
    // timeouts.
    static std::span<const double> default_bounds();

    explicit node_metrics(std::span<const double> bounds = default_bounds());

    // Thread-safe. `outcome` is "succeeded" or "failed".
    void observe(std::string_view integration, std::string_view action, std::string_view outcome, double seconds);
    // A node row of a finished run: only nodes that ran to success or failure count (not the
    // skipped, the waiting or the cancelled ones), with finished - started as the duration.
    void observe(const node_row& row);

    struct series {
        std::string integration, action, outcome;
        histogram_snapshot histogram;
    };
    // Ordered by integration, action, outcome.
    std::vector<series> snapshot() const;

private:
    using key = std::tuple<std::string, std::string, std::string>;
    duration_histogram& find_or_add(std::string_view integration, std::string_view action, std::string_view outcome);

    std::vector<double> bounds_;
    mutable std::shared_mutex mutex_;
    std::map<key, std::unique_ptr<duration_histogram>, std::less<>> series_;
};

} // namespace sr::host
