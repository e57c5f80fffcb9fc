// /api/v1/connections over a real server and database: credentials validated and sealed, only a
// masked summary in any answer, audit rows, permissions, organization isolation, and 503 when
// the daemon has no master key. The routes run with a vault on a second server that shares the
// api_server's database and tokens (the api_server itself has no vault).
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "api/api_routes.hpp"
#include "api_fixture.hpp"
#include "db/seeder.hpp"
#include "io_drain.hpp"
#include "security/master_key.hpp"
#include "security/vault.hpp"

using namespace sr::test;
using sr::host::role;
namespace json = boost::json;

namespace {

const std::string secret = "sk_live_0123456789abcdefSECRET";

const char* manifest = R"({
  "id": "demo_crm", "name": "Demo CRM", "version": "1.0.0", "actions": [],
  "connections": [{
    "id": "api_key", "name": "API key",
    "schema": {"type": "object", "required": ["api_key", "base_url"], "additionalProperties": false,
               "properties": {"api_key": {"type": "string", "minLength": 20},
                              "base_url": {"type": "string", "pattern": "^https://"}}},
    "secret_fields": ["api_key"]
  }]
})";

// The connection routes with a vault, on 127.0.0.1, over the api_server's database.
class vault_server {
public:
    explicit vault_server(api_server& s)
        : api_(s), guard_(boost::asio::make_work_guard(ioc_)), keys_(sr::host::master_key::generate()),
          pool_(s.conninfo(), 2), ctx_{pool_, catalog_, 512 * 1024, {}, {}} {
        {
            pqxx::connection conn(s.conninfo());
            sr::host::plugin_record record{"demo_crm", "1.0.0", manifest, std::string(64, 'a'), "demo_crm.so", 1, 0};
            REQUIRE(sr::host::seed_plugins(conn, {record}, false).errors.empty());
        }
        ctx_.keys = &keys_;
        ctx_.log_error = [this](std::string_view m) { errors.emplace_back(m); };
        sr::host::add_connection_routes(routes_, ctx_);
        sr::host::http_server_config config;
        config.listen = "127.0.0.1:0";
        server_ = std::make_unique<sr::host::http_server>(
            ioc_, config, sr::host::async_request_handler([this](sr::host::http_request r, sr::host::respond_fn respond) {
                routes_.dispatch(std::move(r), std::move(respond));
            }));
        port_ = server_->start();
        threads_.emplace_back([this] { ioc_.run(); });
    }
    ~vault_server() {
        std::promise<void> stopped;
        server_->stop(std::chrono::milliseconds(2000), [&] { stopped.set_value(); });
        stopped.get_future().wait_for(std::chrono::seconds(5));
        drain(ioc_, guard_, threads_);
        server_.reset();
    }

    api_answer call(std::string_view method, std::string_view target, const std::string& token,
                    const json::value& body = nullptr) {
        std::string text = body.is_null() ? std::string() : json::serialize(body);
        std::string headers = "Authorization: Bearer " + token + "\r\n";
        if (!text.empty()) headers += "Content-Type: application/json\r\n";
        raw_client c(port_);
        c.send(raw_request(method, target, text, headers));
        api_answer out;
        out.raw = c.read_response(std::chrono::seconds(10));
        out.status = out.raw.status;
        boost::system::error_code ec;
        if (!out.raw.body.empty()) {
            auto parsed = json::parse(out.raw.body, ec);
            if (!ec) out.body = std::move(parsed);
        }
        return out;
    }

    std::vector<std::string> errors; // written on the pool thread; read after the calls

private:
    api_server& api_;
    boost::asio::io_context ioc_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
    sr::host::vault keys_;
    sr::core::engine::action_catalog catalog_;
    sr::host::db_pool pool_;
    sr::host::api_context ctx_;
    sr::host::router routes_;
    std::unique_ptr<sr::host::http_server> server_;
    std::uint16_t port_ = 0;
    std::vector<std::thread> threads_;
};

json::object good_body(const std::string& name = "CRM") {
    return json::object{{"integration", "demo_crm"},
                        {"connection_type", "api_key"},
                        {"name", name},
                        {"credentials", json::object{{"api_key", secret}, {"base_url", "https://crm.example.com"}}}};
}

void check_code(const api_answer& r, int status, std::string_view code) {
    INFO(r.raw.body);
    CHECK(r.status == status);
    REQUIRE(r.body.is_object());
    CHECK(r.body.at("code").as_string() == code);
}

} // namespace

TEST_CASE("A created connection is returned masked by create, get and list, and audited") {
    api_server s;
    vault_server v(s);
    const auto& t = s.a.token[role::admin];
    auto created = v.call("POST", "/api/v1/connections", t, good_body());
    INFO(created.raw.body);
    REQUIRE(created.status == 201);
    std::string id(created.body.at("id").as_string());
    CHECK(created.body.at("masked_summary").is_object());
    auto got = v.call("GET", "/api/v1/connections/" + id, s.a.token[role::viewer]);
    REQUIRE(got.status == 200);
    auto list = v.call("GET", "/api/v1/connections", s.a.token[role::viewer]);
    REQUIRE(list.status == 200);
    REQUIRE(list.body.at("connections").as_array().size() == 1);
    for (const auto* r : {&created, &got, &list}) CHECK(r->raw.body.find(secret) == std::string::npos);
    CHECK(audit_count(s, "connection.create", id) == 1);
    pqxx::connection c(s.conninfo());
    pqxx::work tx(c);
    CHECK(tx.exec1("SELECT count(*) FROM audit_logs WHERE details::text LIKE '%" + secret + "%'")[0].as<int>() == 0);
}

TEST_CASE("Creating a connection with invalid credentials is 422 naming the field, never the value") {
    api_server s;
    vault_server v(s);
    auto body = good_body();
    body["credentials"].as_object()["base_url"] = "http://plain.example.com/" + secret;
    auto r = v.call("POST", "/api/v1/connections", s.a.token[role::admin], body);
    check_code(r, 422, "validation_failed");
    CHECK(r.raw.body.find("base_url") != std::string::npos);
    CHECK(r.raw.body.find(secret) == std::string::npos);
    body = good_body();
    body.erase("name");
    auto missing = v.call("POST", "/api/v1/connections", s.a.token[role::admin], body);
    check_code(missing, 400, "invalid_input");
    CHECK(missing.body.at("field").as_string() == "name");
    body = good_body();
    body["credentials"] = "x";
    check_code(v.call("POST", "/api/v1/connections", s.a.token[role::admin], body), 400, "invalid_input");
    check_code(v.call("POST", "/api/v1/connections", s.a.token[role::admin],
                      json::object{{"integration", "nope"}, {"connection_type", "api_key"}, {"name", "x"},
                                   {"credentials", json::object{}}}),
               400, "invalid_input");
}

TEST_CASE("Updating a connection re-seals new credentials and answers masked; deleting it removes it") {
    api_server s;
    vault_server v(s);
    const auto& t = s.a.token[role::owner];
    auto created = v.call("POST", "/api/v1/connections", t, good_body());
    REQUIRE(created.status == 201);
    std::string id(created.body.at("id").as_string());
    auto changed = v.call("PATCH", "/api/v1/connections/" + id, t,
                          json::object{{"name", "Renamed"},
                                       {"credentials", json::object{{"api_key", secret + "2"},
                                                                    {"base_url", "https://crm2.example.com"}}}});
    INFO(changed.raw.body);
    REQUIRE(changed.status == 200);
    CHECK(changed.body.at("name").as_string() == "Renamed");
    CHECK(changed.raw.body.find(secret) == std::string::npos);
    CHECK(audit_count(s, "connection.update", id) == 1);
    check_code(v.call("PATCH", "/api/v1/connections/" + id, t, json::object{}), 400, "invalid_input");
    REQUIRE(v.call("DELETE", "/api/v1/connections/" + id, t).status == 204);
    CHECK(audit_count(s, "connection.delete", id) == 1);
    check_code(v.call("GET", "/api/v1/connections/" + id, t), 404, "not_found");
}

TEST_CASE("Connections are invisible to another organization and guarded by role") {
    api_server s;
    vault_server v(s);
    auto created = v.call("POST", "/api/v1/connections", s.a.token[role::owner], good_body());
    REQUIRE(created.status == 201);
    std::string id(created.body.at("id").as_string());
    const auto& other = s.b.token[role::owner];
    CHECK(v.call("GET", "/api/v1/connections", other).body.at("connections").as_array().empty());
    check_code(v.call("GET", "/api/v1/connections/" + id, other), 404, "not_found");
    check_code(v.call("PATCH", "/api/v1/connections/" + id, other, json::object{{"name", "x"}}), 404, "not_found");
    check_code(v.call("DELETE", "/api/v1/connections/" + id, other), 404, "not_found");
    check_code(v.call("POST", "/api/v1/connections", s.a.token[role::member], good_body()), 403, "forbidden");
    check_code(v.call("DELETE", "/api/v1/connections/" + id, s.a.token[role::member]), 403, "forbidden");
    check_code(v.call("GET", "/api/v1/connections/not-a-uuid", s.a.token[role::owner]), 404, "not_found");
}

TEST_CASE("Without a master key creating a connection is 503 and listing still works") {
    api_server s; // its context has no vault
    auto r = s.call_json("POST", "/api/v1/connections", s.a.token[role::owner], good_body());
    check_code(r, 503, "keys_unavailable");
    CHECK(s.call("GET", "/api/v1/connections", s.a.token[role::owner]).status == 200);
}
