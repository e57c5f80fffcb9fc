// GET /metrics over a real socket: runs by status and queue depth from a real database, node
// durations recorded by the real worker running real system.* nodes, webhook deliveries
// through the real webhook routes, circuit breakers and rate-limit refusals.
#include <catch2/catch.hpp>

#include <set>
#include <sstream>
#include <thread>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "observability/metrics_routes.hpp"
#include "observability/node_metrics.hpp"
#include "observability_fixture.hpp"
#include "runtime_fixture.hpp"
#include "webhook_fixture.hpp"
#include "webhooks/webhook_routes.hpp"

using namespace sr::test;
using namespace std::chrono_literals;
namespace json = boost::json;
namespace host = sr::host;

namespace {

const std::string no_database = "host=/nonexistent"; // a pool that is never asked for anything

json::value simple_graph() {
    return json::object{{"nodes", json::array{graph_node("trigger", "system.manual")}}, {"edges", json::array{}}};
}

double value_of(const std::string& text, const std::string& series) {
    auto v = sample_value(text, series);
    INFO(series << "\n" << text);
    REQUIRE(v);
    return *v;
}

// Every sample's family has a TYPE line before it (histogram samples by their base name).
void check_families_typed(const std::string& text) {
    std::set<std::string> typed;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("# TYPE ", 0) == 0) {
            typed.insert(line.substr(7, line.find(' ', 7) - 7));
            continue;
        }
        if (line.empty() || line[0] == '#') continue;
        std::string name = line.substr(0, line.find_first_of("{ "));
        for (const char* suffix : {"_bucket", "_sum", "_count"})
            if (!typed.count(name) && name.ends_with(suffix)) name.resize(name.size() - std::string(suffix).size());
        INFO(line);
        CHECK(typed.count(name));
    }
}

} // namespace

TEST_CASE("/metrics answers in the Prometheus text format 0.0.4 with a HELP and a TYPE for every family") {
    runtime_db db;
    host::node_metrics nodes;
    host::webhook_metrics hooks;
    sr::core::engine::breaker_registry breakers;
    observed_host h(db.conninfo());
    host::add_metrics_routes(h.routes, {&h.runs, &nodes, &hooks, &breakers, nullptr, [] { return std::size_t{3}; }, "9.9.9"});
    h.serve();
    auto r = h.request("GET", "/metrics");
    REQUIRE(r.status == 200);
    REQUIRE(r.header("content-type"));
    CHECK(r.header("content-type")->rfind("text/plain; version=0.0.4", 0) == 0);
    CHECK(r.body.find("# HELP sr_runs ") != std::string::npos);
    CHECK(r.body.find("# TYPE sr_node_duration_seconds histogram\n") != std::string::npos);
    CHECK(value_of(r.body, "sr_build_info{version=\"9.9.9\"}") == 1);
    CHECK(value_of(r.body, "sr_uptime_seconds") >= 0);
    CHECK(value_of(r.body, "sr_worker_active_runs") == 3);
    CHECK(value_of(r.body, "sr_runs_database_up") == 1);
    check_families_typed(r.body);
}

TEST_CASE("/metrics lists runs by status and the queue depth as the database holds them") {
    runtime_db db;
    db.publish(simple_graph());
    std::vector<std::string> runs;
    for (int i = 0; i < 5; ++i) runs.push_back(db.enqueue());
    db.exec("UPDATE runs SET status = 'cancelled', finished_at = now() WHERE id = '" + runs[0] + "'");
    db.exec("UPDATE runs SET status = 'failed', finished_at = now() WHERE id IN ('" + runs[1] + "', '" + runs[2] + "')");
    db.exec("UPDATE runs SET available_at = now() + interval '1 hour' WHERE id = '" + runs[3] + "'"); // not due

    observed_host h(db.conninfo(), 0ms);
    host::add_metrics_routes(h.routes, {&h.runs});
    h.serve();
    auto text = h.scrape();
    for (const auto& status : host::run_statuses()) {
        INFO(status);
        CHECK(value_of(text, "sr_runs{status=\"" + status + "\"}") ==
              db.count("SELECT count(*) FROM runs WHERE status = '" + status + "'"));
    }
    CHECK(value_of(text, "sr_runs{status=\"queued\"}") == 2);
    CHECK(value_of(text, "sr_runs{status=\"failed\"}") == 2);
    CHECK(value_of(text, "sr_run_queue_depth") == 1);
    CHECK(value_of(text, "sr_run_queue_oldest_age_seconds") >= 0);
}

TEST_CASE("run figures are read from the database at most once per time to live") {
    runtime_db db;
    db.publish(simple_graph());
    db.enqueue();
    observed_host cached(db.conninfo(), std::chrono::hours(1));
    host::add_metrics_routes(cached.routes, {&cached.runs});
    cached.serve();
    CHECK(value_of(cached.scrape(), "sr_runs{status=\"queued\"}") == 1);
    db.enqueue();
    CHECK(value_of(cached.scrape(), "sr_runs{status=\"queued\"}") == 1); // cached
    observed_host fresh(db.conninfo(), 0ms);
    host::add_metrics_routes(fresh.routes, {&fresh.runs});
    fresh.serve();
    CHECK(value_of(fresh.scrape(), "sr_runs{status=\"queued\"}") == 2);
}

TEST_CASE("without a database the run figures are marked down and /metrics still answers") {
    observed_host h(no_database, 0ms);
    host::webhook_metrics hooks;
    host::add_metrics_routes(h.routes, {&h.runs, nullptr, &hooks});
    h.serve();
    auto text = h.scrape();
    CHECK(value_of(text, "sr_runs_database_up") == 0);
    CHECK(value_of(text, "sr_runs{status=\"queued\"}") == 0);
    CHECK(value_of(text, "sr_webhooks_accepted_total") == 0);
}

TEST_CASE("node durations of a real run appear in the histogram with cumulative buckets matching the database") {
    runtime_db db;
    db.publish(json::object{
        {"nodes", json::array{graph_node("trigger", "system.manual"), graph_node("wait", "system.delay", {{"seconds", 0.03}}),
                              graph_node("shape", "system.transform", {{"output", {{"n", "{{trigger.n}}"}}}}),
                              graph_node("done", "system.log", {{"message", "n={{shape.output.n}}"}})}},
        {"edges", json::array{graph_edge("trigger", "wait"), graph_edge("wait", "shape"), graph_edge("shape", "done")}}});
    for (int i = 0; i < 3; ++i) db.enqueue(json::object{{"n", i}});
    host::node_metrics nodes;
    auto options = fast_options("h1");
    options.node_finished = [&nodes](const host::node_row& row) { nodes.observe(row); };
    worker_host worker(db.conninfo(), options);
    REQUIRE(db.wait_count("SELECT count(*) FROM runs WHERE status = 'succeeded'", 3, 20s));

    observed_host h(db.conninfo());
    host::add_metrics_routes(h.routes, {nullptr, &nodes});
    h.serve();
    auto text = h.scrape();
    const std::vector<std::string> bounds{"0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25",
                                          "0.5",   "1",      "2.5",   "5",    "10",    "30",   "60",  "300"};
    int series_checked = 0;
    pqxx::connection conn(db.conninfo());
    pqxx::nontransaction tx(conn);
    for (const auto& row : tx.exec("SELECT plugin_id, operation_id, count(*) FROM node_runs WHERE status = 'succeeded' "
                                   "GROUP BY 1, 2")) {
        const auto integration = row[0].as<std::string>(), action = row[1].as<std::string>();
        const auto labels = fmt::format("integration=\"{}\",action=\"{}\",outcome=\"succeeded\"", integration, action);
        INFO(labels);
        const double count = value_of(text, "sr_node_duration_seconds_count{" + labels + "}");
        CHECK(count == row[2].as<double>());
        double previous = 0;
        for (const auto& le : bounds) {
            const double bucket = value_of(text, "sr_node_duration_seconds_bucket{" + labels + ",le=\"" + le + "\"}");
            const auto expected = tx.exec_params1(
                "SELECT count(*) FROM node_runs WHERE status = 'succeeded' AND plugin_id = $1 AND operation_id = $2 "
                "AND duration_ms::numeric <= $3::numeric * 1000",
                integration, action, le)[0].as<double>();
            INFO("le " << le);
            CHECK(bucket == expected);
            CHECK(bucket >= previous);
            previous = bucket;
        }
        CHECK(value_of(text, "sr_node_duration_seconds_bucket{" + labels + ",le=\"+Inf\"}") == count);
        const double sum_ms = tx.exec_params1("SELECT sum(duration_ms) FROM node_runs WHERE status = 'succeeded' AND "
                                              "plugin_id = $1 AND operation_id = $2",
                                              integration, action)[0].as<double>();
        CHECK(value_of(text, "sr_node_duration_seconds_sum{" + labels + "}") == Approx(sum_ms / 1000.0).margin(1e-9));
        ++series_checked;
    }
    CHECK(series_checked == 4); // manual, delay, transform, log
    // The delay took its 30 ms: not in the first buckets.
    const std::string delay = "integration=\"system\",action=\"delay\",outcome=\"succeeded\"";
    CHECK(value_of(text, "sr_node_duration_seconds_bucket{" + delay + ",le=\"0.025\"}") == 0);
    CHECK(value_of(text, "sr_node_duration_seconds_count{" + delay + "}") == 3);
}

TEST_CASE("webhook accepted and refused counters move with a good and a badly signed delivery") {
    webhook_env env;
    auto endpoints = env.publish(graph_with("hook", "system.webhook"));
    REQUIRE(endpoints.size() == 1);
    const std::string target = "/webhooks/" + endpoints[0].public_id;
    const std::string secret = env.secret("hook");
    observed_host h(env.db.conninfo());
    host::webhook_context ctx{h.pool, env.keys, env.metrics, {}, nullptr, [](std::string_view) {}};
    host::add_webhook_routes(h.routes, ctx);
    host::add_metrics_routes(h.routes, {nullptr, nullptr, &env.metrics});
    h.serve();
    auto before = h.scrape();
    CHECK(value_of(before, "sr_webhooks_accepted_total") == 0);
    CHECK(lines_starting(before, "sr_webhooks_refused_total{").empty());

    const std::string body = R"({"order": 1})";
    const std::string ts = now_unix();
    auto sign = [&](const std::string& signature) {
        return "Content-Type: application/json\r\nX-Timestamp: " + ts + "\r\nX-Signature: sha256=" + signature + "\r\n";
    };
    auto good = h.request("POST", target, body, sign(hmac_hex(secret, ts + "." + body)));
    REQUIRE(good.status == 202);
    auto bad = h.request("POST", target, body, sign(hmac_hex("not the secret", ts + "." + body)));
    REQUIRE(bad.status == 401);
    const std::string reason(json::parse(bad.body).at("reason").as_string());

    auto after = h.scrape();
    CHECK(value_of(after, "sr_webhooks_accepted_total") == 1);
    CHECK(value_of(after, "sr_webhooks_refused_total{reason=\"" + reason + "\"}") == 1);
    CHECK(value_of(after, "sr_webhooks_duplicates_total") == 0);
}

TEST_CASE("circuit breakers are listed by integration and connection with their state, labels escaped") {
    sr::core::engine::breaker_registry breakers({2, 60'000});
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
    const auto open_key = sr::core::engine::breaker_registry::key_for("http", "conn-1");
    breakers.record(open_key, true, now);
    breakers.record(open_key, true, now);
    breakers.record(sr::core::engine::breaker_registry::key_for("odd\"plugin", "c\\2\n"), true, now);
    observed_host h(no_database);
    host::add_metrics_routes(h.routes, {nullptr, nullptr, nullptr, &breakers});
    h.serve();
    auto text = h.scrape();
    CHECK(value_of(text, R"(sr_circuit_breaker_state{integration="http",connection="conn-1",state="open"})") == 1);
    CHECK(value_of(text, R"(sr_circuit_breaker_state{integration="http",connection="conn-1",state="closed"})") == 0);
    CHECK(value_of(text, R"(sr_circuit_breaker_consecutive_failures{integration="http",connection="conn-1"})") == 2);
    CHECK(value_of(text, R"(sr_circuit_breaker_state{integration="odd\"plugin",connection="c\\2\n",state="closed"})") == 1);
}

TEST_CASE("over its limit a caller gets 429 problem+json with Retry-After while other callers go on") {
    host::rate_limit_config config;
    config.api = {0.5, 2}; // a token every 2 s
    config.other = {};
    host::request_limits limits(config);
    observed_host h(no_database);
    h.routes.add("GET", "/api/v1/ping", [](const host::http_request&, const host::route_params&) {
        return host::http_response::text(200, "pong");
    });
    host::add_metrics_routes(h.routes, {nullptr, nullptr, nullptr, nullptr, &limits});
    h.serve(&limits);
    const std::string alice = "Authorization: Bearer srt_aaaaaaaa_" + std::string(43, 'a') + "\r\n";
    const std::string bob = "Authorization: Bearer srt_bbbbbbbb_" + std::string(43, 'b') + "\r\n";
    CHECK(h.request("GET", "/api/v1/ping", {}, alice).status == 200);
    CHECK(h.request("GET", "/api/v1/ping", {}, alice).status == 200);
    auto refused = h.request("GET", "/api/v1/ping", {}, alice);
    REQUIRE(refused.status == 429);
    REQUIRE(refused.header("retry-after"));
    const int retry_after = std::stoi(*refused.header("retry-after"));
    CHECK(retry_after >= 1);
    CHECK(retry_after <= 2);
    REQUIRE(refused.header("content-type"));
    CHECK(*refused.header("content-type") == "application/problem+json");
    CHECK(json::parse(refused.body).at("code") == "rate_limited");
    CHECK(refused.body.find(std::string(43, 'a')) == std::string::npos);

    CHECK(h.request("GET", "/api/v1/ping", {}, bob).status == 200); // independent bucket

    auto text = h.scrape(); // "other" routes are not limited here
    CHECK(value_of(text, "sr_rate_limited_total{group=\"api\"}") == 1);
    CHECK(value_of(text, "sr_rate_limit_buckets{group=\"api\"}") == 2);

    // Coarse refill check: after Retry-After a token is back.
    std::this_thread::sleep_for(std::chrono::seconds(retry_after) + 200ms);
    CHECK(h.request("GET", "/api/v1/ping", {}, alice).status == 200);
}
