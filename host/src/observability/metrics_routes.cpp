#include "observability/metrics_routes.hpp"

#include <memory>

#include "observability/prometheus_text.hpp"

namespace sr::host {

namespace {

std::int64_t unix_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

double seconds_since_epoch(std::chrono::system_clock::time_point t) {
    return static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count()) /
           1000.0;
}

void process_facts(prometheus_text& out, const metrics_sources& s) {
    out.family("sr_build_info", "gauge", "Always 1; the labels say which build of scenariod this is.");
    out.sample("sr_build_info", {{"version", s.version}}, std::int64_t{1});
    out.family("sr_process_start_time_seconds", "gauge", "When this scenariod started, in seconds since the Unix epoch.");
    out.sample("sr_process_start_time_seconds", {}, seconds_since_epoch(s.started_at));
    out.family("sr_uptime_seconds", "gauge", "Seconds since this scenariod started.");
    out.sample("sr_uptime_seconds", {},
               seconds_since_epoch(std::chrono::system_clock::now()) - seconds_since_epoch(s.started_at));
    if (s.active_runs) {
        out.family("sr_worker_active_runs", "gauge", "Runs executing on this host now.");
        out.sample("sr_worker_active_runs", {}, static_cast<std::uint64_t>(s.active_runs()));
    }
}

void run_figures(prometheus_text& out, const run_stats& runs) {
    out.family("sr_runs", "gauge", "Runs in the database by status (all hosts; cached for up to 2 s).");
    for (const auto& [status, n] : runs.by_status) out.sample("sr_runs", {{"status", status}}, n);
    out.family("sr_run_queue_depth", "gauge", "Runs queued and due now, waiting for a worker (all hosts).");
    out.sample("sr_run_queue_depth", {}, runs.queue_depth);
    out.family("sr_run_queue_oldest_age_seconds", "gauge", "How long the oldest due queued run has waited.");
    out.sample("sr_run_queue_oldest_age_seconds", {}, runs.oldest_due_age_s);
    out.family("sr_runs_database_up", "gauge",
               "1 when the last read of the run figures succeeded; 0 means they are the last good ones.");
    out.sample("sr_runs_database_up", {}, std::int64_t{runs.database_ok ? 1 : 0});
}

void node_durations(prometheus_text& out, const node_metrics& nodes) {
    out.family("sr_node_duration_seconds", "histogram",
               "Time from a node's start to its result, by integration, action and outcome (nodes run on this host).");
    for (const auto& series : nodes.snapshot()) {
        const auto& h = series.histogram;
        for (std::size_t i = 0; i <= h.bounds.size(); ++i) {
            const std::string le = i < h.bounds.size() ? format_sample_value(h.bounds[i]) : "+Inf";
            out.sample("sr_node_duration_seconds_bucket",
                       {{"integration", series.integration}, {"action", series.action}, {"outcome", series.outcome},
                        {"le", le}},
                       h.cumulative[i]);
        }
        const metric_labels labels{
            {"integration", series.integration}, {"action", series.action}, {"outcome", series.outcome}};
        out.sample("sr_node_duration_seconds_sum", labels, h.sum);
        out.sample("sr_node_duration_seconds_count", labels, h.count);
    }
}

void webhook_counts(prometheus_text& out, const webhook_metrics& webhooks) {
    const auto s = webhooks.snapshot();
    out.family("sr_webhooks_accepted_total", "counter", "Webhook deliveries that started a run.");
    out.sample("sr_webhooks_accepted_total", {}, s.accepted);
    out.family("sr_webhooks_duplicates_total", "counter",
               "Webhook deliveries answered with an earlier run (same idempotency key or event id).");
    out.sample("sr_webhooks_duplicates_total", {}, s.duplicates);
    out.family("sr_webhooks_challenges_total", "counter", "Provider handshakes answered (e.g. Monday's challenge).");
    out.sample("sr_webhooks_challenges_total", {}, s.challenges);
    out.family("sr_webhooks_refused_total", "counter", "Webhook deliveries refused, by reason (a stable code).");
    for (const auto& [reason, n] : s.refused) out.sample("sr_webhooks_refused_total", {{"reason", reason}}, n);
}

void breaker_states(prometheus_text& out, const core::engine::breaker_registry& breakers) {
    using core::engine::breaker_state;
    const auto entries = breakers.snapshot(unix_now_ms());
    out.family("sr_circuit_breaker_state", "gauge",
               "1 for the state each circuit breaker is in, by integration and connection (breakers that are closed "
               "with no failure are not listed).");
    for (const auto& e : entries) {
        // key_for() joins integration and connection id with '/'; the id holds none.
        const auto slash = e.key.rfind('/');
        const std::string integration = e.key.substr(0, slash);
        const std::string connection = slash == std::string::npos ? std::string() : e.key.substr(slash + 1);
        for (auto state : {breaker_state::closed, breaker_state::open, breaker_state::half_open})
            out.sample("sr_circuit_breaker_state",
                       {{"integration", integration}, {"connection", connection}, {"state", to_string(state)}},
                       std::int64_t{e.state == state ? 1 : 0});
    }
    out.family("sr_circuit_breaker_consecutive_failures", "gauge", "Service failures in a row, per circuit breaker.");
    for (const auto& e : entries) {
        const auto slash = e.key.rfind('/');
        out.sample("sr_circuit_breaker_consecutive_failures",
                   {{"integration", e.key.substr(0, slash)},
                    {"connection", slash == std::string::npos ? std::string() : e.key.substr(slash + 1)}},
                   static_cast<std::uint64_t>(e.consecutive_failures));
    }
}

void rate_limits(prometheus_text& out, const request_limits& limits) {
    constexpr route_group groups[] = {route_group::api, route_group::webhooks, route_group::other};
    out.family("sr_rate_limited_total", "counter", "Requests refused with 429 by the per-endpoint rate limits, by route group.");
    for (auto g : groups) out.sample("sr_rate_limited_total", {{"group", to_string(g)}}, limits.refused(g));
    out.family("sr_rate_limit_buckets", "gauge", "Callers with a token bucket now, by route group.");
    for (auto g : groups) out.sample("sr_rate_limit_buckets", {{"group", to_string(g)}}, static_cast<std::uint64_t>(limits.buckets(g)));
    out.family("sr_rate_limit_per_second", "gauge", "The configured rate per caller, by route group (0: no limit).");
    for (auto g : groups) out.sample("sr_rate_limit_per_second", {{"group", to_string(g)}}, limits.limit(g).per_second);
}

} // namespace

std::string render_metrics(const metrics_sources& sources, const run_stats* runs) {
    prometheus_text out;
    process_facts(out, sources);
    if (runs) run_figures(out, *runs);
    if (sources.nodes) node_durations(out, *sources.nodes);
    if (sources.webhooks) webhook_counts(out, *sources.webhooks);
    if (sources.breakers) breaker_states(out, *sources.breakers);
    if (sources.limits) rate_limits(out, *sources.limits);
    return out.take();
}

void add_metrics_routes(router& routes, metrics_sources sources) {
    auto shared = std::make_shared<const metrics_sources>(std::move(sources));
    routes.add_async("GET", "/metrics", [shared](const http_request&, const route_params&, respond_fn respond) {
        auto answer = [shared, respond](const run_stats* runs) {
            auto res = http_response::text(200, render_metrics(*shared, runs), std::string(prometheus_content_type));
            res.set_header("Cache-Control", "no-store");
            respond(std::move(res));
        };
        if (!shared->runs) return answer(nullptr);
        shared->runs->get([answer](const run_stats& runs) { answer(&runs); });
    });
}

} // namespace sr::host
