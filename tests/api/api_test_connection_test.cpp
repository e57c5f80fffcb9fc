// "Test connection" over a real server and database with the real wordpress plugin against the
// local fake WordPress: a stored connection (credentials opened for the call, outcome recorded
// and audited) and unsaved credentials of a connection type (never stored); a secret never
// appears in an answer, an audit row or a log line.
#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "fake_wordpress.hpp"
#include "full_api_server.hpp"

using namespace sr::test;
using sr::host::role;
namespace json = boost::json;

namespace {

const char* wrong_password = "wrong pass 9876 zyxw";

std::string test_path(const std::string& connection) {
    return "/api/v1/connections/" + connection + "/test";
}

std::string type_test_path(const std::string& integration, const std::string& type) {
    return "/api/v1/integrations/" + integration + "/connection-types/" + type + "/test";
}

json::object with_password(json::object credentials, const std::string& password) {
    credentials["application_password"] = password;
    return credentials;
}

std::string audit_text(const std::string& conninfo) {
    pqxx::connection conn(conninfo);
    pqxx::work tx(conn);
    std::string all;
    for (const auto& r : tx.exec("SELECT action, resource_id, details::text FROM audit_logs"))
        all += std::string(r[0].c_str()) + " " + r[1].c_str() + " " + r[2].c_str() + "\n";
    return all;
}

bool asked_for_me(const fake_wordpress& wp) {
    for (const auto& r : wp.requests())
        if (r.target.find("users/me") != std::string::npos) return true;
    return false;
}

} // namespace

TEST_CASE("testing a stored connection asks the service and records the success on the connection") {
    api_server s;
    full_api_server api(s);
    fake_wordpress wp;
    auto id = api.connect(s.a.org_id, "wordpress", "app_password", wp.app_connection());
    auto r = api.call("POST", test_path(id), s.a.token.at(role::member));
    INFO(r.raw.body);
    REQUIRE(r.status == 200);
    CHECK(r.body.at("ok") == true);
    CHECK(asked_for_me(wp));
    const auto& connection = r.body.at("connection");
    CHECK(connection.at("status") == "active");
    CHECK(connection.at("last_tested_at").is_string());
    CHECK(connection.at("test_result").at("ok") == true);
    CHECK(count_audit(s.conninfo(), "connection.test") == 1);
    CHECK(documented_statuses("post", "/api/v1/connections/{connection}/test").count(200));
}

TEST_CASE("a stored connection with a wrong password tests as failed, with no secret in the answer, audit or log") {
    api_server s;
    full_api_server api(s);
    fake_wordpress wp;
    auto id = api.connect(s.a.org_id, "wordpress", "app_password", with_password(wp.app_connection(), wrong_password));
    auto r = api.call("POST", test_path(id), s.a.token.at(role::member));
    INFO(r.raw.body);
    REQUIRE(r.status == 200);
    CHECK(r.body.at("ok") == false);
    CHECK(r.body.at("code") == "connection_invalid");
    CHECK(r.body.at("message").is_string());
    CHECK(r.body.at("connection").at("status") == "error");
    CHECK(r.raw.body.find(wrong_password) == std::string::npos);
    auto audit = audit_text(s.conninfo());
    CHECK(audit.find("connection.test") != std::string::npos);
    CHECK(audit.find(wrong_password) == std::string::npos);
    for (const auto& line : api.errors()) CHECK(line.find(wrong_password) == std::string::npos);
    auto read = api.call("GET", "/api/v1/connections/" + id, s.a.token.at(role::viewer));
    REQUIRE(read.status == 200);
    CHECK(read.body.at("status") == "error");
    CHECK(read.raw.body.find(wrong_password) == std::string::npos);
}

TEST_CASE("a service that answers 401 echoing the password fails the test with the password cut out") {
    api_server s;
    full_api_server api(s);
    // A careless service repeats the credential in its error; the plugin passes the message on.
    scripted_server refusing([](server_connection& c) {
        if (!c.read_request()) return;
        std::string body = std::string(R"({"code":"rest_not_logged_in","message":"Password ')") + wrong_password +
                           R"(' is not valid.","data":{"status":401}})";
        c.write("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: " +
                std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    });
    json::object credentials{{"site_url", "http://127.0.0.1:" + std::to_string(refusing.port())},
                             {"username", "admin"},
                             {"application_password", wrong_password}};
    auto id = api.connect(s.a.org_id, "wordpress", "app_password", credentials);
    auto r = api.call("POST", test_path(id), s.a.token.at(role::admin));
    INFO(r.raw.body);
    REQUIRE(r.status == 200);
    CHECK(r.body.at("ok") == false);
    CHECK(r.body.at("code") == "connection_invalid");
    CHECK(r.body.at("message").as_string().find("is not valid") != json::string::npos); // the service's words
    CHECK(r.raw.body.find(wrong_password) == std::string::npos);
    CHECK(audit_text(s.conninfo()).find(wrong_password) == std::string::npos);
    for (const auto& line : api.errors()) CHECK(line.find(wrong_password) == std::string::npos);
}

TEST_CASE("unsaved credentials of a connection type are tested and never stored") {
    api_server s;
    full_api_server api(s);
    fake_wordpress wp;
    const auto& member = s.a.token.at(role::member);
    auto good = api.call_json("POST", type_test_path("wordpress", "app_password"), member,
                              json::object{{"credentials", wp.app_connection()}});
    INFO(good.raw.body);
    REQUIRE(good.status == 200);
    CHECK(good.body.at("ok") == true);
    CHECK(asked_for_me(wp));
    auto bad = api.call_json("POST", type_test_path("wordpress", "app_password"), member,
                             json::object{{"credentials", with_password(wp.app_connection(), wrong_password)}});
    REQUIRE(bad.status == 200);
    CHECK(bad.body.at("ok") == false);
    CHECK(bad.body.at("code") == "connection_invalid");
    CHECK(bad.raw.body.find(wrong_password) == std::string::npos);
    CHECK(count_rows(s.conninfo(), "connections") == 0);
    CHECK(audit_text(s.conninfo()).find(wrong_password) == std::string::npos);
    CHECK(documented_statuses("post", "/api/v1/integrations/{integration}/connection-types/{type}/test").count(200));
}

TEST_CASE("unsaved credentials that break the type's schema, unknown types and bad bodies are refused") {
    api_server s;
    full_api_server api(s);
    fake_wordpress wp;
    const auto& member = s.a.token.at(role::member);
    auto missing = wp.app_connection();
    missing.erase("site_url");
    auto invalid = api.call_json("POST", type_test_path("wordpress", "app_password"), member,
                                 json::object{{"credentials", missing}});
    INFO(invalid.raw.body);
    CHECK(invalid.status == 422);
    CHECK(invalid.body.at("problems").as_array().size() >= 1);
    CHECK(api.call_json("POST", type_test_path("wordpress", "no_such_type"), member,
                        json::object{{"credentials", wp.app_connection()}})
              .status == 404);
    CHECK(api.call_json("POST", type_test_path("no_such_plugin", "app_password"), member,
                        json::object{{"credentials", wp.app_connection()}})
              .status == 404);
    auto malformed = api.call("POST", type_test_path("wordpress", "app_password"), member, "{\"credentials\":");
    CHECK(malformed.status == 400);
    CHECK(malformed.body.at("code") == "malformed_json");
    CHECK(api.call_json("POST", type_test_path("wordpress", "app_password"), member, json::object{{"credentials", "x"}})
              .status == 400);
    CHECK(api.call_json("POST", type_test_path("wordpress", "app_password"), member,
                        json::object{{"credentials", wp.app_connection()}, {"extra", 1}})
              .status == 400);
    CHECK(wp.requests().empty()); // none of these reached the service
}

TEST_CASE("a viewer may not test connections but a member may") {
    api_server s;
    full_api_server api(s);
    fake_wordpress wp;
    auto id = api.connect(s.a.org_id, "wordpress", "app_password", wp.app_connection());
    auto viewer = api.call("POST", test_path(id), s.a.token.at(role::viewer));
    CHECK(viewer.status == 403);
    CHECK(api.call_json("POST", type_test_path("wordpress", "app_password"), s.a.token.at(role::viewer),
                        json::object{{"credentials", wp.app_connection()}})
              .status == 403);
    CHECK(wp.requests().empty());
    CHECK(count_audit(s.conninfo(), "connection.test") == 0);
    CHECK(api.call("POST", test_path(id), s.a.token.at(role::member)).status == 200);
}

TEST_CASE("another organization's connection, or an unknown one, is not found by the test") {
    api_server s;
    full_api_server api(s);
    fake_wordpress wp;
    auto id = api.connect(s.a.org_id, "wordpress", "app_password", wp.app_connection());
    CHECK(api.call("POST", test_path(id), s.b.token.at(role::owner)).status == 404);
    CHECK(api.call("POST", test_path("00000000-0000-0000-0000-000000000000"), s.a.token.at(role::owner)).status == 404);
    CHECK(api.call("POST", test_path("nope"), s.a.token.at(role::owner)).status == 404);
    CHECK(wp.requests().empty());
}
