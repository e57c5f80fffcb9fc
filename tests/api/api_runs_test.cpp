// /api/v1 runs (list with filters and cursor, one run with node runs and logs, cancel, retry)
// and scenario pause/resume, over a real server and database; runs are inserted as the
// durable runtime would leave them.
#include <set>
#include <string>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "api_fixture.hpp"
#include "http/problem.hpp"

using namespace sr::test;
using sr::host::role;
namespace json = boost::json;

namespace {

// A scenario with a published version, owned by `org`.
std::string published_scenario(api_server& s, const org_tokens& org) {
    const auto& t = org.token.at(role::owner);
    auto r = s.call_json("POST", "/api/v1/scenarios", t, json::object{{"name", "Orders"}});
    REQUIRE(r.status == 201);
    std::string id(r.body.at("id").as_string());
    REQUIRE(s.call_json("PUT", "/api/v1/scenarios/" + id + "/graph", t, valid_graph()).status == 200);
    auto p = s.call("POST", "/api/v1/scenarios/" + id + "/publish", t);
    INFO(p.raw.body);
    REQUIRE(p.status == 201);
    return id;
}

std::string insert_run(api_server& s, const std::string& scenario_id, const std::string& status,
                       const std::string& created_at = "now()") {
    pqxx::connection c(s.conninfo());
    pqxx::work tx(c);
    bool finished = status == "succeeded" || status == "failed" || status == "cancelled" || status == "incomplete";
    auto id = tx.exec_params1(
                    "INSERT INTO runs (scenario_id, version_id, status, trigger_kind, correlation_id, created_at, "
                    "started_at, finished_at, duration_ms, error_code, error_message) "
                    "SELECT id, current_version_id, $2, 'manual', 'corr', " + created_at + ", " +
                        (status == "pending" || status == "queued" ? "NULL" : created_at) + ", " +
                        (finished ? created_at + " + interval '1 second'" : "NULL") + ", " +
                        (finished ? "1000" : "NULL") + ", " + (status == "failed" ? "'boom'" : "NULL") + ", " +
                        (status == "failed" ? "'it broke'" : "NULL") + " FROM scenarios WHERE id = $1 RETURNING id::text",
                    scenario_id, status)[0]
                  .as<std::string>();
    tx.commit();
    return id;
}

pqxx::row run_row(api_server& s, const std::string& id) {
    pqxx::connection c(s.conninfo());
    pqxx::work tx(c);
    return tx.exec_params1("SELECT status, finished_at IS NOT NULL, cancel_requested_at IS NOT NULL, "
                           "coalesce(node_overrides::text, ''), coalesce(error_code, '') FROM runs WHERE id = $1",
                           id);
}

std::set<std::string> ids_of(const api_answer& r) {
    std::set<std::string> out;
    for (const auto& run : r.body.at("runs").as_array()) out.insert(std::string(run.at("id").as_string()));
    return out;
}

} // namespace

TEST_CASE("Listing runs filters by scenario and status and pages with a cursor") {
    api_server s;
    auto one = published_scenario(s, s.a);
    auto two = published_scenario(s, s.a);
    auto failed = insert_run(s, one, "failed", "now() - interval '3 minutes'");
    auto ok1 = insert_run(s, one, "succeeded", "now() - interval '2 minutes'");
    auto ok2 = insert_run(s, two, "succeeded", "now() - interval '1 minute'");
    const auto& viewer = s.a.token[role::viewer];

    auto all = s.call("GET", "/api/v1/runs", viewer);
    INFO(all.raw.body);
    REQUIRE(all.status == 200);
    CHECK(ids_of(all) == std::set<std::string>{failed, ok1, ok2});
    CHECK(all.body.at("runs").as_array()[0].at("id").as_string() == ok2); // newest first

    CHECK(ids_of(s.call("GET", "/api/v1/runs?scenario_id=" + one, viewer)) == std::set<std::string>{failed, ok1});
    CHECK(ids_of(s.call("GET", "/api/v1/runs?status=failed", viewer)) == std::set<std::string>{failed});

    auto first = s.call("GET", "/api/v1/runs?limit=2", viewer);
    REQUIRE(first.body.at("runs").as_array().size() == 2);
    REQUIRE(first.body.at("next_cursor").is_string());
    auto second = s.call("GET", "/api/v1/runs?limit=2&cursor=" + std::string(first.body.at("next_cursor").as_string()),
                         viewer);
    INFO(second.raw.body);
    REQUIRE(second.status == 200);
    CHECK(ids_of(second) == std::set<std::string>{failed});
    CHECK(second.body.at("next_cursor").is_null());
}

TEST_CASE("Listing runs with a malformed filter or cursor is 400") {
    api_server s;
    const auto& t = s.a.token[role::viewer];
    check_problem(s.call("GET", "/api/v1/runs?status=exploded", t), 400, "invalid_input");
    check_problem(s.call("GET", "/api/v1/runs?scenario_id=not-a-uuid", t), 400, "invalid_input");
    check_problem(s.call("GET", "/api/v1/runs?from=yesterday", t), 400, "invalid_input");
    check_problem(s.call("GET", "/api/v1/runs?cursor=garbage", t), 400, "invalid_input");
    check_problem(s.call("GET", "/api/v1/runs?limit=0", t), 400, "invalid_input");
}

TEST_CASE("A run is returned with its node runs and logs") {
    api_server s;
    auto scenario = published_scenario(s, s.a);
    auto run = insert_run(s, scenario, "succeeded");
    {
        pqxx::connection c(s.conninfo());
        pqxx::work tx(c);
        tx.exec_params("INSERT INTO node_runs (run_id, node_id, status, idempotency_key) VALUES ($1, 'n1', 'succeeded', 'k1')",
                       run);
        tx.commit();
    }
    auto r = s.call("GET", "/api/v1/runs/" + run, s.a.token[role::viewer]);
    INFO(r.raw.body);
    REQUIRE(r.status == 200);
    CHECK(r.body.at("id").as_string() == run);
    REQUIRE(r.body.at("nodes").as_array().size() == 1);
    CHECK(r.body.at("nodes").as_array()[0].at("node_id").as_string() == "n1");
    CHECK(r.body.at("logs").is_array());
    check_problem(s.call("GET", "/api/v1/runs/not-a-uuid", s.a.token[role::viewer]), 404, "not_found");
}

TEST_CASE("Another organization's runs are neither listed nor readable nor cancellable") {
    api_server s;
    auto scenario = published_scenario(s, s.a);
    auto run = insert_run(s, scenario, "queued");
    const auto& other = s.b.token[role::owner];
    auto list = s.call("GET", "/api/v1/runs", other);
    REQUIRE(list.status == 200);
    CHECK(list.body.at("runs").as_array().empty());
    check_problem(s.call("GET", "/api/v1/runs/" + run, other), 404, "not_found");
    check_problem(s.call("POST", "/api/v1/runs/" + run + "/cancel", other), 404, "not_found");
    check_problem(s.call("POST", "/api/v1/runs/" + run + "/retry", other), 404, "not_found");
    check_problem(s.call("POST", "/api/v1/scenarios/" + scenario + "/pause", other), 404, "not_found");
    CHECK(run_row(s, run)[0].as<std::string>() == "queued");
}

TEST_CASE("Cancelling a queued run cancels it at once and writes an audit row") {
    api_server s;
    auto scenario = published_scenario(s, s.a);
    auto run = insert_run(s, scenario, "queued");
    auto r = s.call("POST", "/api/v1/runs/" + run + "/cancel", s.a.token[role::member]);
    INFO(r.raw.body);
    REQUIRE(r.status == 202);
    CHECK(r.body.at("status").as_string() == "cancelled");
    auto row = run_row(s, run);
    CHECK(row[0].as<std::string>() == "cancelled");
    CHECK(row[1].as<bool>());
    CHECK(audit_count(s, "run.cancel", run) == 1);
}

TEST_CASE("Cancelling a running run requests the cancel and leaves it running") {
    api_server s;
    auto scenario = published_scenario(s, s.a);
    auto run = insert_run(s, scenario, "running");
    auto r = s.call("POST", "/api/v1/runs/" + run + "/cancel", s.a.token[role::member]);
    INFO(r.raw.body);
    REQUIRE(r.status == 202);
    CHECK(r.body.at("status").as_string() == "running");
    CHECK(r.body.at("cancel_requested").as_bool());
    auto row = run_row(s, run);
    CHECK(row[0].as<std::string>() == "running");
    CHECK(row[2].as<bool>());
}

TEST_CASE("Cancelling a finished run is 409 and a viewer cannot cancel") {
    api_server s;
    auto scenario = published_scenario(s, s.a);
    auto done = insert_run(s, scenario, "succeeded");
    check_problem(s.call("POST", "/api/v1/runs/" + done + "/cancel", s.a.token[role::member]), 409, "conflict");
    auto queued = insert_run(s, scenario, "queued");
    check_problem(s.call("POST", "/api/v1/runs/" + queued + "/cancel", s.a.token[role::viewer]), 403, "forbidden");
    CHECK(run_row(s, queued)[0].as<std::string>() == "queued");
}

TEST_CASE("Retrying a failed run queues it again with the edited settings") {
    api_server s;
    auto scenario = published_scenario(s, s.a);
    auto run = insert_run(s, scenario, "failed");
    auto r = s.call_json("POST", "/api/v1/runs/" + run + "/retry", s.a.token[role::member],
                         json::object{{"settings", json::object{{"transform", json::object{{"x", 1}}}}}});
    INFO(r.raw.body);
    REQUIRE(r.status == 202);
    CHECK(r.body.at("status").as_string() == "queued");
    auto row = run_row(s, run);
    CHECK(row[0].as<std::string>() == "queued");
    CHECK_FALSE(row[1].as<bool>());
    CHECK(json::parse(row[3].as<std::string>()) == json::parse(R"({"transform":{"x":1}})"));
    CHECK(row[4].as<std::string>().empty());
    CHECK(audit_count(s, "run.retry", run) == 1);
}

TEST_CASE("Retrying a run that did not fail is 409") {
    api_server s;
    auto scenario = published_scenario(s, s.a);
    for (const char* status : {"succeeded", "queued", "running", "cancelled"}) {
        auto run = insert_run(s, scenario, status);
        check_problem(s.call("POST", "/api/v1/runs/" + run + "/retry", s.a.token[role::member]), 409, "conflict");
        CHECK(run_row(s, run)[0].as<std::string>() == status);
    }
}

TEST_CASE("Retrying with malformed settings is 400 naming the field and changes nothing") {
    api_server s;
    auto scenario = published_scenario(s, s.a);
    auto run = insert_run(s, scenario, "failed");
    const auto& t = s.a.token[role::member];
    check_problem(s.call("POST", "/api/v1/runs/" + run + "/retry", t, "{not json"), 400, "malformed_json");
    auto r = s.call_json("POST", "/api/v1/runs/" + run + "/retry", t, json::object{{"settings", json::object{{"n", 3}}}});
    check_problem(r, 400, "invalid_input");
    CHECK(r.body.at("field").as_string() == "settings.n");
    check_problem(s.call_json("POST", "/api/v1/runs/" + run + "/retry", t, json::object{{"settings", "x"}}), 400,
                  "invalid_input");
    CHECK(run_row(s, run)[0].as<std::string>() == "failed");
}

TEST_CASE("Pausing a scenario then resuming it releases the runs held while paused") {
    api_server s;
    auto scenario = published_scenario(s, s.a);
    const auto& t = s.a.token[role::member];
    auto p = s.call("POST", "/api/v1/scenarios/" + scenario + "/pause", t);
    INFO(p.raw.body);
    REQUIRE(p.status == 200);
    CHECK(p.body.at("status").as_string() == "paused");
    auto held = insert_run(s, scenario, "pending");
    auto r = s.call("POST", "/api/v1/scenarios/" + scenario + "/resume", t);
    INFO(r.raw.body);
    REQUIRE(r.status == 200);
    CHECK(r.body.at("status").as_string() == "active");
    CHECK(r.body.at("released_runs").as_int64() == 1);
    CHECK(run_row(s, held)[0].as<std::string>() == "queued");
    CHECK(audit_count(s, "scenario.pause", scenario) == 1);
    CHECK(audit_count(s, "scenario.resume", scenario) == 1);
}

TEST_CASE("A viewer cannot pause a scenario and an unpublished one cannot be resumed") {
    api_server s;
    auto scenario = published_scenario(s, s.a);
    check_problem(s.call("POST", "/api/v1/scenarios/" + scenario + "/pause", s.a.token[role::viewer]), 403, "forbidden");
    auto r = s.call_json("POST", "/api/v1/scenarios", s.a.token[role::owner], json::object{{"name", "Draft"}});
    REQUIRE(r.status == 201);
    std::string draft(r.body.at("id").as_string());
    check_problem(s.call("POST", "/api/v1/scenarios/" + draft + "/resume", s.a.token[role::owner]), 409, "conflict");
}
