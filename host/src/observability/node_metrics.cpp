#include "observability/node_metrics.hpp"

#include <array>
#include <mutex>

#include "runtime/run_writer.hpp"

namespace sr::host {

namespace {
constexpr std::array<double, 16> bounds_seconds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                0.5,   1,      2.5,   5,    10,    30,   60,  300};
} // namespace

std::span<const double> node_metrics::default_bounds() { return bounds_seconds; }

node_metrics::node_metrics(std::span<const double> bounds) : bounds_(bounds.begin(), bounds.end()) {}

duration_histogram& node_metrics::find_or_add(std::string_view integration, std::string_view action,
                                              std::string_view outcome) {
    const auto wanted = std::make_tuple(integration, action, outcome);
    {
        std::shared_lock lock(mutex_);
        auto it = series_.find(wanted);
        if (it != series_.end()) return *it->second;
    }
    std::unique_lock lock(mutex_);
    auto it = series_.find(wanted);
    if (it == series_.end())
        it = series_.emplace(key(integration, action, outcome), std::make_unique<duration_histogram>(bounds_)).first;
    return *it->second;
}

void node_metrics::observe(std::string_view integration, std::string_view action, std::string_view outcome,
                           double seconds) {
    find_or_add(integration, action, outcome).observe(seconds);
}

void node_metrics::observe(const node_row& row) {
    if (row.status != "succeeded" && row.status != "failed") return;
    if (row.started_ms <= 0 || row.finished_ms < row.started_ms) return;
    observe(row.plugin_id, row.operation_id, row.status, static_cast<double>(row.finished_ms - row.started_ms) / 1000.0);
}

std::vector<node_metrics::series> node_metrics::snapshot() const {
    std::shared_lock lock(mutex_);
    std::vector<series> out;
    out.reserve(series_.size());
    for (const auto& [k, h] : series_)
        out.push_back({std::get<0>(k), std::get<1>(k), std::get<2>(k), h->snapshot()});
    return out;
}

} // namespace sr::host
