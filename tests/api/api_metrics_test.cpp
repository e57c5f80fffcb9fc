// /api/v1/metrics/summary over runs and node runs inserted as the runtime leaves them.
#include <string>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "api_fixture.hpp"

using namespace sr::test;
using sr::host::role;
namespace json = boost::json;

namespace {

std::string published_scenario(api_server& s, const org_tokens& org) {
    const auto& t = org.token.at(role::owner);
    auto r = s.call_json("POST", "/api/v1/scenarios", t, json::object{{"name", "Metrics"}});
    REQUIRE(r.status == 201);
    std::string id(r.body.at("id").as_string());
    REQUIRE(s.call_json("PUT", "/api/v1/scenarios/" + id + "/graph", t, valid_graph()).status == 200);
    REQUIRE(s.call("POST", "/api/v1/scenarios/" + id + "/publish", t).status == 201);
    return id;
}

// A finished run of `scenario` lasting `ms`, created `age` ago, with one node run of `plugin`.
void insert_run(api_server& s, const std::string& scenario, const std::string& status, int ms,
                const std::string& error_code = "", const std::string& age = "1 minute",
                const std::string& plugin = "system", int node_ms = 10) {
    pqxx::connection c(s.conninfo());
    pqxx::work tx(c);
    auto run = tx.exec_params1(
                     "INSERT INTO runs (scenario_id, version_id, status, trigger_kind, correlation_id, created_at, "
                     "started_at, finished_at, duration_ms, error_code) "
                     "SELECT id, current_version_id, $2, 'manual', 'c', now() - $5::interval, now() - $5::interval, "
                     "now() - $5::interval + $3 * interval '1 millisecond', $3, nullif($4, '') "
                     "FROM scenarios WHERE id = $1 RETURNING id::text",
                     scenario, status, ms, error_code, age)[0]
                   .as<std::string>();
    tx.exec_params("INSERT INTO node_runs (run_id, node_id, plugin_id, operation_id, status, idempotency_key, duration_ms) "
                   "VALUES ($1, 'n', $2, 'op', 'succeeded', 'k', $3)",
                   run, plugin, node_ms);
    tx.commit();
}

} // namespace

TEST_CASE("The metrics summary counts runs by status with success rate, durations, slow actions and errors") {
    api_server s;
    auto scenario = published_scenario(s, s.a);
    insert_run(s, scenario, "succeeded", 100, "", "1 minute", "fast", 5);
    insert_run(s, scenario, "succeeded", 200, "", "1 minute", "slow", 900);
    insert_run(s, scenario, "failed", 300, "http_500");
    insert_run(s, scenario, "failed", 400, "http_500");
    insert_run(s, scenario, "succeeded", 5000, "", "3 days"); // outside the default range
    auto r = s.call("GET", "/api/v1/metrics/summary", s.a.token[role::viewer]);
    INFO(r.raw.body);
    REQUIRE(r.status == 200);
    const auto& m = r.body.as_object();
    CHECK(m.at("total_runs").as_int64() == 4);
    CHECK(m.at("by_status").at("succeeded").as_int64() == 2);
    CHECK(m.at("by_status").at("failed").as_int64() == 2);
    CHECK(m.at("success_rate").as_double() == Approx(0.5));
    CHECK(m.at("average_duration_ms").as_double() == Approx(250));
    CHECK(m.at("p95_duration_ms").as_double() == Approx(385)); // percentile_cont over 100..400
    REQUIRE(!m.at("slowest_actions").as_array().empty());
    CHECK(m.at("slowest_actions").as_array()[0].at("plugin_id").as_string() == "slow");
    REQUIRE(m.at("error_breakdown").as_array().size() == 1);
    CHECK(m.at("error_breakdown").as_array()[0].at("error_code").as_string() == "http_500");
    CHECK(m.at("error_breakdown").as_array()[0].at("count").as_int64() == 2);
}

TEST_CASE("The metrics summary honours from, to and scenario_id and never counts another organization") {
    api_server s;
    auto mine = published_scenario(s, s.a);
    auto other = published_scenario(s, s.b);
    insert_run(s, mine, "succeeded", 100, "", "3 days");
    insert_run(s, other, "failed", 100, "boom");
    const auto& t = s.a.token[role::viewer];
    auto recent = s.call("GET", "/api/v1/metrics/summary", t);
    REQUIRE(recent.status == 200);
    CHECK(recent.body.at("total_runs").as_int64() == 0);
    CHECK(recent.body.at("success_rate").is_null());
    CHECK(recent.body.at("error_breakdown").as_array().empty());
    auto wide = s.call("GET", "/api/v1/metrics/summary?from=2000-01-01T00:00:00Z&scenario_id=" + mine, t);
    INFO(wide.raw.body);
    REQUIRE(wide.status == 200);
    CHECK(wide.body.at("total_runs").as_int64() == 1);
    CHECK(s.call("GET", "/api/v1/metrics/summary?from=2000-01-01T00:00:00Z&scenario_id=" + other, t)
              .body.at("total_runs")
              .as_int64() == 0);
}

TEST_CASE("The metrics summary refuses malformed times, an inverted range and a bad scenario id") {
    api_server s;
    const auto& t = s.a.token[role::viewer];
    CHECK(s.call("GET", "/api/v1/metrics/summary?from=yesterday", t).status == 400);
    CHECK(s.call("GET", "/api/v1/metrics/summary?from=2026-13-45", t).status == 400);
    CHECK(s.call("GET", "/api/v1/metrics/summary?from=2026-02-01&to=2026-01-01", t).status == 400);
    CHECK(s.call("GET", "/api/v1/metrics/summary?scenario_id=x", t).status == 400);
    CHECK(s.call("GET", "/api/v1/metrics/summary", "").status == 401);
}
