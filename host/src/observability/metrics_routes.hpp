#pragma once
// GET /metrics: the Prometheus text exposition (format 0.0.4) of this host. Runs by status and
// the queue depth come from PostgreSQL through run_stats_cache (on a db_pool thread, cached);
// everything else is read from memory: node durations, webhook deliveries, circuit breakers,
// rate-limit refusals and process facts. The metrics are listed in docs/architecture.md.
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "http/router.hpp"
#include "observability/node_metrics.hpp"
#include "observability/request_limits.hpp"
#include "observability/run_stats_cache.hpp"
#include "sr/core/engine/circuit_breaker.hpp"
#include "webhooks/webhook_metrics.hpp"

namespace sr::host {

// What /metrics reads. Every pointer may be null (its metrics are left out) and must outlive
// the router and every request in flight.
struct metrics_sources {
    run_stats_cache* runs = nullptr;
    const node_metrics* nodes = nullptr;
    const webhook_metrics* webhooks = nullptr;
    const core::engine::breaker_registry* breakers = nullptr;
    const request_limits* limits = nullptr;
    std::function<std::size_t()> active_runs{}; // runs executing on this host
    std::string version{};
    std::chrono::system_clock::time_point started_at = std::chrono::system_clock::now();
};

// The exposition text; `runs` null leaves the database metrics out. Pure apart from reading
// the sources and the clock.
std::string render_metrics(const metrics_sources& sources, const run_stats* runs);

void add_metrics_routes(router& routes, metrics_sources sources);

} // namespace sr::host
