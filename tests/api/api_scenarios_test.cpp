// /api/v1: authentication, permissions, integrations, scenarios and their audit rows, bad input.
#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "api_fixture.hpp"
#include "http/problem.hpp"

using namespace sr::test;
using sr::host::role;
namespace json = boost::json;

TEST_CASE("A request without a bearer token gets 401 with WWW-Authenticate") {
    api_server s;
    auto r = s.call("GET", "/api/v1/scenarios", "");
    check_problem(r, 401, "unauthorized");
    CHECK(*r.header("www-authenticate") == "Bearer");
    check_problem(s.call("GET", "/api/v1/scenarios", "", {}, "Authorization: Basic dXNlcjpwdw==\r\n"), 401,
                  "unauthorized");
}

TEST_CASE("A request with an unknown or revoked token gets 401") {
    api_server s;
    check_problem(s.call("GET", "/api/v1/scenarios", "srt_deadbeef_notatoken"), 401, "unauthorized");
    {
        pqxx::connection c(s.conninfo());
        pqxx::work tx(c);
        tx.exec_params("UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1", s.a.user_id[role::owner]);
        tx.commit();
    }
    check_problem(s.call("GET", "/api/v1/scenarios", s.a.token[role::owner]), 401, "unauthorized");
}

TEST_CASE("A viewer can read scenarios but gets 403 on every mutation") {
    api_server s;
    auto id = create_scenario(s, s.a.token[role::owner]);
    const auto& viewer = s.a.token[role::viewer];
    CHECK(s.call("GET", "/api/v1/scenarios", viewer).status == 200);
    CHECK(s.call("GET", "/api/v1/scenarios/" + id, viewer).status == 200);
    CHECK(s.call("GET", "/api/v1/integrations", viewer).status == 200);
    check_problem(s.call_json("POST", "/api/v1/scenarios", viewer, json::object{{"name", "x"}}), 403, "forbidden");
    check_problem(s.call_json("PATCH", "/api/v1/scenarios/" + id, viewer, json::object{{"name", "x"}}), 403, "forbidden");
    check_problem(s.call("DELETE", "/api/v1/scenarios/" + id, viewer), 403, "forbidden");
    check_problem(s.call_json("PUT", "/api/v1/scenarios/" + id + "/graph", viewer, valid_graph()), 403, "forbidden");
    check_problem(s.call("POST", "/api/v1/scenarios/" + id + "/publish", viewer), 403, "forbidden");
    check_problem(s.call_json("POST", "/api/v1/scenarios/" + id + "/rollback", viewer, json::object{{"version", 1}}),
                  403, "forbidden");
}

TEST_CASE("A member can create and edit scenarios but gets 403 deleting one; an admin can delete") {
    api_server s;
    auto id = create_scenario(s, s.a.token[role::member]);
    CHECK(s.call_json("PATCH", "/api/v1/scenarios/" + id, s.a.token[role::member], json::object{{"name", "y"}}).status ==
          200);
    check_problem(s.call("DELETE", "/api/v1/scenarios/" + id, s.a.token[role::member]), 403, "forbidden");
    CHECK(s.call("DELETE", "/api/v1/scenarios/" + id, s.a.token[role::admin]).status == 204);
}

TEST_CASE("POST /api/v1/scenarios creates a draft scenario, answers 201 with Location, and audits it") {
    api_server s;
    auto r = s.call_json("POST", "/api/v1/scenarios", s.a.token[role::owner],
                         json::object{{"name", "Orders"}, {"description", "d"}, {"settings", {{"k", 1}}}},
                         "User-Agent: api-test/1\r\n");
    REQUIRE(r.status == 201);
    auto id = std::string(r.body.at("id").as_string());
    CHECK(*r.header("location") == "/api/v1/scenarios/" + id);
    CHECK(r.body.at("name") == "Orders");
    CHECK(r.body.at("status") == "draft");
    CHECK(r.body.at("organization_id") == json::value(s.a.org_id));
    pqxx::connection c(s.conninfo());
    pqxx::work tx(c);
    auto row = tx.exec_params1("SELECT user_id::text, organization_id::text, host(ip), user_agent FROM audit_logs "
                               "WHERE action = 'scenario.create' AND resource_id = $1",
                               id);
    CHECK(row[0].as<std::string>() == s.a.user_id[role::owner]);
    CHECK(row[1].as<std::string>() == s.a.org_id);
    CHECK(row[2].as<std::string>() == "127.0.0.1");
    CHECK(row[3].as<std::string>() == "api-test/1");
}

TEST_CASE("GET /api/v1/scenarios lists the organization's scenarios with cursor pages") {
    api_server s;
    const auto& t = s.a.token[role::owner];
    for (int i = 0; i < 3; ++i) create_scenario(s, t, "s" + std::to_string(i));
    create_scenario(s, s.b.token[role::owner], "other org");
    auto first = s.call("GET", "/api/v1/scenarios?limit=2", t);
    REQUIRE(first.status == 200);
    CHECK(first.body.at("scenarios").as_array().size() == 2);
    REQUIRE(first.body.at("next_after").is_string());
    auto second = s.call("GET", "/api/v1/scenarios?limit=2&after=" + std::string(first.body.at("next_after").as_string()), t);
    REQUIRE(second.status == 200);
    CHECK(second.body.at("scenarios").as_array().size() == 1);
    CHECK(second.body.at("next_after").is_null());
    for (const auto& sc : first.body.at("scenarios").as_array()) CHECK(sc.at("organization_id") == json::value(s.a.org_id));
}

TEST_CASE("GET /api/v1/scenarios refuses a bad limit or cursor with 400") {
    api_server s;
    const auto& t = s.a.token[role::owner];
    check_problem(s.call("GET", "/api/v1/scenarios?limit=0", t), 400, "invalid_input");
    check_problem(s.call("GET", "/api/v1/scenarios?limit=abc", t), 400, "invalid_input");
    check_problem(s.call("GET", "/api/v1/scenarios?after=not-a-uuid", t), 400, "invalid_input");
}

TEST_CASE("PATCH /api/v1/scenarios/{id} changes the named fields and audits them") {
    api_server s;
    const auto& t = s.a.token[role::owner];
    auto id = create_scenario(s, t);
    auto r = s.call_json("PATCH", "/api/v1/scenarios/" + id, t, json::object{{"name", "Renamed"}, {"pause_policy", "reject"}});
    REQUIRE(r.status == 200);
    CHECK(r.body.at("name") == "Renamed");
    CHECK(r.body.at("pause_policy") == "reject");
    CHECK(s.call("GET", "/api/v1/scenarios/" + id, t).body.at("name") == "Renamed");
    CHECK(audit_count(s, "scenario.update", id) == 1);
}

TEST_CASE("PATCH refuses unknown fields and wrong types with 400 and writes no audit row") {
    api_server s;
    const auto& t = s.a.token[role::owner];
    auto id = create_scenario(s, t);
    check_problem(s.call_json("PATCH", "/api/v1/scenarios/" + id, t, json::object{{"status", "active"}}), 400, "invalid_input");
    check_problem(s.call_json("PATCH", "/api/v1/scenarios/" + id, t, json::object{{"name", 42}}), 400, "invalid_input");
    check_problem(s.call_json("PATCH", "/api/v1/scenarios/" + id, t, json::object{}), 400, "invalid_input");
    CHECK(audit_count(s, "scenario.update", id) == 0);
}

TEST_CASE("DELETE /api/v1/scenarios/{id} answers 204, then the scenario is gone (404)") {
    api_server s;
    const auto& t = s.a.token[role::owner];
    auto id = create_scenario(s, t);
    auto r = s.call("DELETE", "/api/v1/scenarios/" + id, t);
    CHECK(r.status == 204);
    CHECK(r.raw.body.empty());
    check_problem(s.call("GET", "/api/v1/scenarios/" + id, t), 404, "not_found");
    check_problem(s.call("DELETE", "/api/v1/scenarios/" + id, t), 404, "not_found");
    CHECK(audit_count(s, "scenario.delete", id) == 1);
}

TEST_CASE("Malformed JSON gets 400 malformed_json and a non-object body 400 invalid_input") {
    api_server s;
    const auto& t = s.a.token[role::owner];
    check_problem(s.call("POST", "/api/v1/scenarios", t, "{\"name\": "), 400, "malformed_json");
    check_problem(s.call("POST", "/api/v1/scenarios", t, "[1,2]"), 400, "invalid_input");
    check_problem(s.call("POST", "/api/v1/scenarios", t, ""), 400, "malformed_json");
}

TEST_CASE("A body holding U+0000, which PostgreSQL cannot store, gets 400 invalid_input and stores nothing") {
    api_server s;
    const auto& t = s.a.token[role::owner];
    auto r = s.call("POST", "/api/v1/scenarios", t, R"({"name": "a\u0000b"})");
    check_problem(r, 400, "invalid_input");
    CHECK(r.raw.body.find("U+0000") != std::string::npos);
    check_problem(s.call("POST", "/api/v1/scenarios", t, R"({"name": "x", "settings": {"k\u0000": 1}})"), 400,
                  "invalid_input");
    auto list = s.call("GET", "/api/v1/scenarios", t);
    REQUIRE(list.status == 200);
    CHECK(list.body.at("scenarios").as_array().empty());
}

TEST_CASE("Creating a scenario with a missing or mistyped field gets 400 naming the field") {
    api_server s;
    const auto& t = s.a.token[role::owner];
    auto missing = s.call_json("POST", "/api/v1/scenarios", t, json::object{{"description", "x"}});
    check_problem(missing, 400, "invalid_input");
    CHECK(missing.body.at("field") == "name");
    auto wrong = s.call_json("POST", "/api/v1/scenarios", t, json::object{{"name", "x"}, {"settings", "nope"}});
    check_problem(wrong, 400, "invalid_input");
    CHECK(wrong.body.at("field") == "settings");
    check_problem(s.call_json("POST", "/api/v1/scenarios", t, json::object{{"name", "x"}, {"bogus", 1}}), 400,
                  "invalid_input");
}

TEST_CASE("A body over the API's limit gets 413 and one over the server's limit gets 413 too") {
    api_server s(4096);
    const auto& t = s.a.token[role::owner];
    std::string big = "{\"name\": \"" + std::string(5000, 'x') + "\"}";
    check_problem(s.call("POST", "/api/v1/scenarios", t, big), 413, "body_too_large");
    std::string huge = "{\"name\": \"" + std::string(1100 * 1024, 'x') + "\"}";
    auto r = s.call("POST", "/api/v1/scenarios", t, huge);
    CHECK(r.status == 413);
}

TEST_CASE("GET /api/v1/integrations lists the seeded plugins with their latest version") {
    api_server s;
    auto r = s.call("GET", "/api/v1/integrations", s.a.token[role::viewer]);
    REQUIRE(r.status == 200);
    bool system = false;
    for (const auto& i : r.body.at("integrations").as_array())
        if (i.at("manifest_id") == "system") {
            system = true;
            CHECK(i.at("latest_version").is_string());
            CHECK_FALSE(i.as_object().contains("manifest"));
        }
    CHECK(system);
}

TEST_CASE("GET /api/v1/integrations/{id} returns the manifest; an unknown id is 404") {
    api_server s;
    const auto& t = s.a.token[role::viewer];
    auto r = s.call("GET", "/api/v1/integrations/system", t);
    REQUIRE(r.status == 200);
    CHECK(r.body.at("manifest").at("id") == "system");
    CHECK(r.body.at("manifest").as_object().contains("actions"));
    check_problem(s.call("GET", "/api/v1/integrations/nope", t), 404, "not_found");
    auto versions = s.call("GET", "/api/v1/integrations/system/versions", t);
    REQUIRE(versions.status == 200);
    REQUIRE(versions.body.at("versions").as_array().size() >= 1);
    CHECK(versions.body.at("versions").as_array()[0].at("is_latest") == true);
    check_problem(s.call("GET", "/api/v1/integrations/nope/versions", t), 404, "not_found");
}

TEST_CASE("An unknown /api/v1 path is 404 and a wrong method 405") {
    api_server s;
    CHECK(s.call("GET", "/api/v1/nothing", s.a.token[role::owner]).status == 404);
    CHECK(s.call("PUT", "/api/v1/scenarios", s.a.token[role::owner], "{}").status == 405);
}
