// POST /api/v1/scenarios/{scenario}/runs: a manual run through the API, as POST
// /trigger/{scenario} makes it, with the API's permission checks, problems and audit.
#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "full_api_server.hpp"

using namespace sr::test;
using sr::host::role;
namespace json = boost::json;

namespace {

std::string runs_path(const std::string& scenario) {
    return "/api/v1/scenarios/" + scenario + "/runs";
}

} // namespace

TEST_CASE("a member starts a manual run through the API with the body as its input and an audit row") {
    api_server s;
    full_api_server api(s);
    auto id = api.scenario(s.a.token.at(role::owner), valid_graph(), true);
    auto r = api.call_json("POST", runs_path(id), s.a.token.at(role::member), json::object{{"x", 5}});
    INFO(r.raw.body);
    REQUIRE(r.status == 202);
    std::string run_id(r.body.at("run_id").as_string());
    CHECK(r.body.at("status") == "queued");
    CHECK(r.body.at("status_url") == json::value("/api/v1/runs/" + run_id));
    REQUIRE(r.header("location"));
    CHECK(*r.header("location") == "/api/v1/runs/" + run_id);

    pqxx::connection conn(s.conninfo());
    pqxx::work tx(conn);
    auto row = tx.exec_params1("SELECT trigger_kind, trigger_data::text, scenario_id::text FROM runs WHERE id = $1::uuid",
                               run_id);
    CHECK(std::string(row[0].c_str()) == "manual");
    auto data = json::parse(row[1].c_str());
    CHECK(data.at("body").at("x") == 5);
    CHECK(data.at("user_id") == json::value(s.a.user_id.at(role::member)));
    CHECK(std::string(row[2].c_str()) == id);
    CHECK(count_audit(s.conninfo(), "run.trigger") == 1);
    auto read = api.call("GET", "/api/v1/runs/" + run_id, s.a.token.at(role::viewer));
    CHECK(read.status == 200);
    CHECK(documented_statuses("post", "/api/v1/scenarios/{scenario}/runs").count(202));
}

TEST_CASE("a repeated manual run with one Idempotency-Key returns the first run and starts nothing") {
    api_server s;
    full_api_server api(s);
    auto id = api.scenario(s.a.token.at(role::owner), valid_graph(), true);
    const auto& member = s.a.token.at(role::member);
    auto first = api.call("POST", runs_path(id), member, "", "Idempotency-Key: order-42\r\n");
    REQUIRE(first.status == 202);
    auto again = api.call("POST", runs_path(id), member, "", "Idempotency-Key: order-42\r\n");
    INFO(again.raw.body);
    REQUIRE(again.status == 200);
    CHECK(again.body.at("duplicate") == true);
    CHECK(again.body.at("run_id") == first.body.at("run_id"));
    CHECK(count_rows(s.conninfo(), "runs") == 1);
    CHECK(count_audit(s.conninfo(), "run.trigger") == 1);
    CHECK(documented_statuses("post", "/api/v1/scenarios/{scenario}/runs").count(200));
}

TEST_CASE("a viewer may not start a run, and another organization's scenario is not found") {
    api_server s;
    full_api_server api(s);
    auto id = api.scenario(s.a.token.at(role::owner), valid_graph(), true);
    CHECK(api.call("POST", runs_path(id), s.a.token.at(role::viewer)).status == 403);
    CHECK(api.call("POST", runs_path(id), s.b.token.at(role::owner)).status == 404);
    CHECK(api.call("POST", runs_path("00000000-0000-0000-0000-000000000000"), s.a.token.at(role::owner)).status == 404);
    CHECK(api.call("POST", runs_path(id), "").status == 401);
    CHECK(count_rows(s.conninfo(), "runs") == 0);
}

TEST_CASE("a manual run of an unpublished scenario is a conflict and bad bodies are refused") {
    api_server s;
    full_api_server api(s);
    const auto& member = s.a.token.at(role::member);
    auto draft_only = api.scenario(member, valid_graph(), false);
    auto unpublished = api.call("POST", runs_path(draft_only), member);
    INFO(unpublished.raw.body);
    CHECK(unpublished.status == 409);
    auto id = api.scenario(member, valid_graph(), true);
    auto malformed = api.call("POST", runs_path(id), member, "{\"x\": ");
    CHECK(malformed.status == 400);
    CHECK(malformed.body.at("code") == "malformed_json");
    std::string long_key(300, 'k');
    CHECK(api.call("POST", runs_path(id), member, "", "Idempotency-Key: " + long_key + "\r\n").status == 400);
    CHECK(count_rows(s.conninfo(), "runs") == 0);
    CHECK(count_audit(s.conninfo(), "run.trigger") == 0);
}
