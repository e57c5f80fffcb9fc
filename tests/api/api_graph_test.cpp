// /api/v1: the draft graph (React Flow shape, optimistic revision), publish, versions, rollback.
#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "api_fixture.hpp"

using namespace sr::test;
using sr::host::role;
namespace json = boost::json;

namespace {

void check_code(const api_answer& r, int status, std::string_view code) {
    INFO(r.raw.body);
    CHECK(r.status == status);
    REQUIRE(r.body.is_object());
    CHECK(r.body.at("code").as_string() == code);
}

// A graph whose transform reads a node that does not exist, with a second dangling edge.
json::object broken_graph() {
    auto g = valid_graph();
    g["nodes"].as_array().push_back(node("ghost", "system.no_such_action"));
    g["edges"].as_array().push_back(edge("transform", "ghost"));
    return g;
}

} // namespace

TEST_CASE("A new scenario's graph is empty at revision 0 with a default viewport") {
    api_server s;
    auto id = create_scenario(s, s.a.token[role::owner], "Graph");
    auto r = s.call("GET", "/api/v1/scenarios/" + id + "/graph", s.a.token[role::viewer]);
    REQUIRE(r.status == 200);
    CHECK(r.body.at("nodes").as_array().empty());
    CHECK(r.body.at("edges").as_array().empty());
    CHECK(r.body.at("viewport").at("zoom").to_number<double>() == 1.0);
    CHECK(r.body.at("revision") == 0);
    CHECK(*r.header("etag") == "\"0\"");
}

TEST_CASE("PUT graph saves nodes, edges and viewport as given and bumps the revision") {
    api_server s;
    const auto& t = s.a.token[role::member];
    auto id = create_scenario(s, t, "Graph");
    auto put = s.call_json("PUT", "/api/v1/scenarios/" + id + "/graph", t, valid_graph(), "If-Match: \"0\"\r\n");
    INFO(put.raw.body);
    REQUIRE(put.status == 200);
    CHECK(put.body.at("revision") == 1);
    CHECK(put.body.at("problems").as_array().empty());
    CHECK(*put.header("etag") == "\"1\"");
    auto got = s.call("GET", "/api/v1/scenarios/" + id + "/graph", t);
    CHECK(got.body.at("revision") == 1);
    CHECK(got.body.at("nodes") == valid_graph().at("nodes"));
    CHECK(got.body.at("edges") == valid_graph().at("edges"));
    CHECK(got.body.at("viewport").at("zoom").to_number<double>() == 1.5);
}

TEST_CASE("PUT graph with a stale If-Match or revision field gets 409 with the current revision") {
    api_server s;
    const auto& t = s.a.token[role::owner];
    auto id = create_scenario(s, t, "Graph");
    REQUIRE(s.call_json("PUT", "/api/v1/scenarios/" + id + "/graph", t, valid_graph(), "If-Match: \"0\"\r\n").status == 200);
    auto stale = s.call_json("PUT", "/api/v1/scenarios/" + id + "/graph", t, valid_graph(), "If-Match: \"0\"\r\n");
    check_code(stale, 409, "conflict");
    CHECK(stale.body.at("current_revision") == 1);
    auto body = valid_graph();
    body["revision"] = 0;
    check_code(s.call_json("PUT", "/api/v1/scenarios/" + id + "/graph", t, body), 409, "conflict");
    body["revision"] = 1;
    CHECK(s.call_json("PUT", "/api/v1/scenarios/" + id + "/graph", t, body).body.at("revision") == 2);
}

TEST_CASE("PUT graph of an unfinished draft saves it and reports its problems by node and edge id") {
    api_server s;
    const auto& t = s.a.token[role::owner];
    auto id = create_scenario(s, t, "Graph");
    auto r = s.call_json("PUT", "/api/v1/scenarios/" + id + "/graph", t, broken_graph());
    REQUIRE(r.status == 200);
    bool named_ghost = false;
    for (const auto& p : r.body.at("problems").as_array())
        if (p.as_object().contains("node_id") && p.at("node_id") == "ghost") named_ghost = true;
    CHECK(named_ghost);
}

TEST_CASE("PUT graph refuses wrong shapes with 400 naming the field") {
    api_server s;
    const auto& t = s.a.token[role::owner];
    auto id = create_scenario(s, t, "Graph");
    auto target = "/api/v1/scenarios/" + id + "/graph";
    auto r = s.call_json("PUT", target, t, json::object{{"nodes", "x"}, {"edges", json::array{}}});
    check_code(r, 400, "invalid_input");
    CHECK(r.body.at("field") == "nodes");
    check_code(s.call_json("PUT", target, t, json::object{{"nodes", json::array{}}}), 400, "invalid_input");
    check_code(s.call_json("PUT", target, t, json::object{{"nodes", json::array{1}}, {"edges", json::array{}}}), 400,
               "invalid_input");
    auto vp = valid_graph();
    vp["viewport"] = json::object{{"x", "left"}, {"y", 0}, {"zoom", 1}};
    check_code(s.call_json("PUT", target, t, vp), 400, "invalid_input");
    auto rev = valid_graph();
    rev["revision"] = "one";
    check_code(s.call_json("PUT", target, t, rev), 400, "invalid_input");
    check_code(s.call_json("PUT", target, t, valid_graph(), "If-Match: *\r\n"), 400, "invalid_input");
    check_code(s.call("PUT", target, t, "{\"nodes\": [}"), 400, "malformed_json");
    CHECK(s.call("GET", target, t).body.at("revision") == 0);
}

TEST_CASE("Publishing an invalid draft gets 422 whose problems name node and edge ids, and creates no version") {
    api_server s;
    const auto& t = s.a.token[role::owner];
    auto id = create_scenario(s, t, "Graph");
    REQUIRE(s.call_json("PUT", "/api/v1/scenarios/" + id + "/graph", t, broken_graph()).status == 200);
    auto r = s.call("POST", "/api/v1/scenarios/" + id + "/publish", t);
    check_code(r, 422, "validation_failed");
    REQUIRE(r.body.at("problems").is_array());
    REQUIRE_FALSE(r.body.at("problems").as_array().empty());
    bool names_node = false;
    for (const auto& p : r.body.at("problems").as_array())
        if (p.as_object().contains("node_id") && p.at("node_id") == "ghost") names_node = true;
    CHECK(names_node);
    CHECK(s.call("GET", "/api/v1/scenarios/" + id + "/versions", t).body.at("versions").as_array().empty());
}

TEST_CASE("Publishing an empty draft gets 422") {
    api_server s;
    const auto& t = s.a.token[role::owner];
    auto id = create_scenario(s, t, "Graph");
    check_code(s.call("POST", "/api/v1/scenarios/" + id + "/publish", t), 422, "validation_failed");
}

TEST_CASE("Publishing a valid draft creates version 1, makes it current and audits it") {
    api_server s;
    const auto& t = s.a.token[role::member];
    auto id = create_scenario(s, t, "Graph");
    REQUIRE(s.call_json("PUT", "/api/v1/scenarios/" + id + "/graph", t, valid_graph()).status == 200);
    auto r = s.call_json("POST", "/api/v1/scenarios/" + id + "/publish", t, json::object{{"change_summary", "first"}});
    INFO(r.raw.body);
    REQUIRE(r.status == 201);
    CHECK(r.body.at("number") == 1);
    CHECK(r.body.at("change_summary") == "first");
    auto version_id = std::string(r.body.at("id").as_string());
    CHECK(*r.header("location") == "/api/v1/scenarios/" + id + "/versions/" + version_id);
    auto sc = s.call("GET", "/api/v1/scenarios/" + id, t);
    CHECK(sc.body.at("status") == "active");
    CHECK(sc.body.at("current_version_id") == json::value(version_id));
    auto one = s.call("GET", "/api/v1/scenarios/" + id + "/versions/" + version_id, t);
    REQUIRE(one.status == 200);
    CHECK(one.body.at("definition").at("nodes").as_array().size() == 2);
    pqxx::connection c(s.conninfo());
    pqxx::work tx(c);
    CHECK(tx.exec_params1("SELECT count(*) FROM audit_logs WHERE action = 'scenario.publish' AND resource_id = $1", id)[0]
              .as<int>() == 1);
}

TEST_CASE("Versions are listed newest first and rollback makes an earlier one current") {
    api_server s;
    const auto& t = s.a.token[role::owner];
    auto id = create_scenario(s, t, "Graph");
    REQUIRE(s.call_json("PUT", "/api/v1/scenarios/" + id + "/graph", t, valid_graph()).status == 200);
    REQUIRE(s.call("POST", "/api/v1/scenarios/" + id + "/publish", t).status == 201);
    auto g = valid_graph();
    g["nodes"].as_array()[1].as_object()["data"].as_object()["label"] = "second";
    REQUIRE(s.call_json("PUT", "/api/v1/scenarios/" + id + "/graph", t, g).status == 200);
    REQUIRE(s.call("POST", "/api/v1/scenarios/" + id + "/publish", t).status == 201);
    auto list = s.call("GET", "/api/v1/scenarios/" + id + "/versions", t);
    REQUIRE(list.status == 200);
    auto& versions = list.body.at("versions").as_array();
    REQUIRE(versions.size() == 2);
    CHECK(versions[0].at("number") == 2);
    CHECK(versions[1].at("number") == 1);
    auto back = s.call_json("POST", "/api/v1/scenarios/" + id + "/rollback", t, json::object{{"version", 1}});
    REQUIRE(back.status == 200);
    CHECK(back.body.at("number") == 1);
    CHECK(s.call("GET", "/api/v1/scenarios/" + id, t).body.at("current_version_number") == 1);
}

TEST_CASE("Rollback to an unknown version is 404 and a missing or mistyped version is 400") {
    api_server s;
    const auto& t = s.a.token[role::owner];
    auto id = create_scenario(s, t, "Graph");
    auto target = "/api/v1/scenarios/" + id + "/rollback";
    check_code(s.call_json("POST", target, t, json::object{{"version", 7}}), 404, "not_found");
    check_code(s.call_json("POST", target, t, json::object{{"version", "1"}}), 400, "invalid_input");
    check_code(s.call_json("POST", target, t, json::object{}), 400, "invalid_input");
    check_code(s.call_json("POST", target, t, json::object{{"version", 0}}), 400, "invalid_input");
}

TEST_CASE("An unknown version id is 404") {
    api_server s;
    const auto& t = s.a.token[role::owner];
    auto id = create_scenario(s, t, "Graph");
    check_code(s.call("GET", "/api/v1/scenarios/" + id + "/versions/00000000-0000-0000-0000-000000000000", t), 404,
               "not_found");
    check_code(s.call("GET", "/api/v1/scenarios/" + id + "/versions/garbage", t), 404, "not_found");
}
