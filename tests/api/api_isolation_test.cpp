// No request reaches another organization's data: a token of organization A gets 404 for
// organization B's scenario on every route that names one, and B's data is unchanged.
#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "api_fixture.hpp"

using namespace sr::test;
using sr::host::role;
namespace json = boost::json;

namespace {

struct published {
    std::string scenario_id, version_id;
};

published publish_in_b(api_server& s) {
    const auto& t = s.b.token[role::owner];
    auto created = s.call_json("POST", "/api/v1/scenarios", t, json::object{{"name", "B's secret scenario"}});
    REQUIRE(created.status == 201);
    published p{std::string(created.body.at("id").as_string()), ""};
    REQUIRE(s.call_json("PUT", "/api/v1/scenarios/" + p.scenario_id + "/graph", t, valid_graph()).status == 200);
    auto v = s.call("POST", "/api/v1/scenarios/" + p.scenario_id + "/publish", t);
    REQUIRE(v.status == 201);
    p.version_id = std::string(v.body.at("id").as_string());
    return p;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
    return s;
}

// A body that would be accepted for the route if the scenario were the caller's.
json::value body_for(const std::string& method, const std::string& pattern) {
    if (pattern.ends_with("/graph")) return valid_graph();
    if (pattern.ends_with("/rollback")) return json::object{{"version", 1}};
    if (method == "PATCH") return json::object{{"name", "stolen"}};
    return json::object{};
}

std::string snapshot(api_server& s, const std::string& scenario_id) {
    pqxx::connection c(s.conninfo());
    pqxx::work tx(c);
    auto r = tx.exec_params1("SELECT name || '|' || draft_revision || '|' || status || '|' || "
                             "coalesce(current_version_id::text, '') || '|' || "
                             "(SELECT count(*) FROM scenario_versions WHERE scenario_id = $1) "
                             "FROM scenarios WHERE id = $1",
                             scenario_id);
    return r[0].as<std::string>();
}

} // namespace

TEST_CASE("Every route naming a scenario answers 404 to another organization's owner and changes nothing") {
    api_server s;
    auto b = publish_in_b(s);
    auto before = snapshot(s, b.scenario_id);
    int tried = 0;
    for (const auto& r : s.routes().routes()) {
        if (r.pattern.find("{scenario}") == std::string::npos) continue;
        auto target = replace_all(replace_all(r.pattern, "{scenario}", b.scenario_id), "{version}", b.version_id);
        target = replace_all(target, "{endpoint}", "trigger"); // not the caller's scenario: any endpoint name
        auto answer = s.call_json(r.method, target, s.a.token[role::owner], body_for(r.method, r.pattern));
        INFO(r.method << " " << r.pattern << " -> " << answer.raw.body);
        CHECK(answer.status == 404);
        CHECK(answer.raw.body.find("B's secret") == std::string::npos);
        ++tried;
    }
    CHECK(tried >= 9);
    CHECK(snapshot(s, b.scenario_id) == before);
    pqxx::connection c(s.conninfo());
    pqxx::work tx(c);
    CHECK(tx.exec_params1("SELECT count(*) FROM audit_logs WHERE organization_id = $1", s.a.org_id)[0].as<int>() == 0);
}

TEST_CASE("Organization B's own owner still reaches the scenario on the same routes") {
    api_server s;
    auto b = publish_in_b(s);
    CHECK(s.call("GET", "/api/v1/scenarios/" + b.scenario_id, s.b.token[role::owner]).status == 200);
    CHECK(s.call("GET", "/api/v1/scenarios/" + b.scenario_id + "/versions/" + b.version_id, s.b.token[role::viewer]).status == 200);
}

TEST_CASE("Listing scenarios never shows another organization's scenarios") {
    api_server s;
    publish_in_b(s);
    auto list = s.call("GET", "/api/v1/scenarios", s.a.token[role::owner]);
    REQUIRE(list.status == 200);
    CHECK(list.body.at("scenarios").as_array().empty());
}

TEST_CASE("A cursor naming another organization's scenario does not leak its page") {
    api_server s;
    auto b = publish_in_b(s);
    auto list = s.call("GET", "/api/v1/scenarios?after=" + b.scenario_id, s.a.token[role::owner]);
    INFO(list.raw.body);
    CHECK((list.status == 400 || (list.status == 200 && list.body.at("scenarios").as_array().empty())));
}

TEST_CASE("A version id of another organization's scenario is 404 under the caller's own scenario") {
    api_server s;
    auto b = publish_in_b(s);
    const auto& t = s.a.token[role::owner];
    auto mine = s.call_json("POST", "/api/v1/scenarios", t, json::object{{"name", "mine"}});
    REQUIRE(mine.status == 201);
    auto target = "/api/v1/scenarios/" + std::string(mine.body.at("id").as_string()) + "/versions/" + b.version_id;
    CHECK(s.call("GET", target, t).status == 404);
}
