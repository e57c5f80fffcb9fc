#include "api_fixture.hpp"

#include <future>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "http/problem.hpp"

#include "api/api_routes.hpp"
#include "auth/account_repository.hpp"
#include "db/migrator.hpp"
#include "db/seeder.hpp"
#include "io_drain.hpp"
#include "plugins/plugin_loader.hpp"
#include "test_paths.hpp"

namespace sr::test {

namespace json = boost::json;

api_server::api_server(std::size_t max_body_bytes)
    : guard_(boost::asio::make_work_guard(ioc_)), log_(SR_LOG_WARN), services_(ioc_, log_, nullptr) {
    {
        pqxx::connection conn(db_.conninfo());
        host::migrate(conn);
    }
    registry_ = host::load_plugins(plugin_dir(), services_);
    REQUIRE(!registry_.loaded().empty());
    {
        pqxx::connection conn(db_.conninfo());
        auto seeded = host::seed_plugins(conn, registry_.records(), false);
        REQUIRE(seeded.errors.empty());
    }
    plugins_ = std::make_unique<host::loaded_plugins>(registry_);
    pool_ = std::make_unique<host::db_pool>(db_.conninfo(), 2);
    ctx_ = std::make_unique<host::api_context>(host::api_context{*pool_, plugins_->catalog(), max_body_bytes, {}, {}});
    ctx_->max_body_bytes = max_body_bytes;
    ctx_->log_error = [this](std::string_view m) {
        std::lock_guard lock(errors_mutex_);
        errors_.emplace_back(m);
    };
    host::add_api_routes(routes_, *ctx_);
    host::http_server_config config;
    config.listen = "127.0.0.1:0";
    config.body_limit = 1024 * 1024;
    config.log_error = ctx_->log_error;
    server_ = std::make_unique<host::http_server>(
        ioc_, config, host::async_request_handler([this](host::http_request r, host::respond_fn respond) {
            routes_.dispatch(std::move(r), std::move(respond));
        }));
    port_ = server_->start();
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
    a = make_org("Org A");
    b = make_org("Org B");
}

api_server::~api_server() {
    std::promise<void> stopped;
    server_->stop(std::chrono::milliseconds(2000), [&] { stopped.set_value(); });
    stopped.get_future().wait_for(std::chrono::seconds(5));
    pool_.reset(); // finishes queued jobs while the io_context still exists
    drain(ioc_, guard_, threads_);
    server_.reset();
    plugins_.reset();
    registry_ = host::plugin_registry();
}

org_tokens api_server::make_org(const std::string& name) {
    pqxx::connection conn(db_.conninfo());
    pqxx::work tx(conn);
    org_tokens out;
    auto org = host::create_organization(tx, name);
    out.org_id = org.id;
    out.slug = org.slug;
    for (auto r : {host::role::owner, host::role::admin, host::role::member, host::role::viewer}) {
        auto email = std::string(host::to_string(r)) + "@" + org.slug + ".test";
        auto user = host::create_user(tx, email, std::string(host::to_string(r)));
        host::add_member(tx, org.id, user, r);
        out.user_id[r] = user;
        out.token[r] = host::create_api_token(tx, org.id, user, "test").token;
    }
    tx.commit();
    return out;
}

api_answer call_api(std::uint16_t port, std::string_view method, std::string_view target, const std::string& token,
                    std::string_view body, std::string_view extra_headers, std::chrono::seconds timeout) {
    std::string headers(extra_headers);
    if (!token.empty()) headers += "Authorization: Bearer " + token + "\r\n";
    if (!body.empty()) headers += "Content-Type: application/json\r\n";
    raw_client c(port);
    c.send(raw_request(method, target, body, headers));
    api_answer out;
    out.raw = c.read_response(timeout);
    out.status = out.raw.status;
    boost::system::error_code ec;
    if (!out.raw.body.empty()) {
        auto parsed = json::parse(out.raw.body, ec);
        if (!ec) out.body = std::move(parsed);
    }
    return out;
}

api_answer api_server::call(std::string_view method, std::string_view target, const std::string& token,
                            std::string_view body, std::string_view extra_headers) {
    return call_api(port_, method, target, token, body, extra_headers, std::chrono::seconds(10));
}

api_answer api_server::call_json(std::string_view method, std::string_view target, const std::string& token,
                                 const json::value& body, std::string_view extra_headers) {
    return call(method, target, token, json::serialize(body), extra_headers);
}

std::vector<std::string> api_server::errors() {
    std::lock_guard lock(errors_mutex_);
    return errors_;
}

json::object node(const std::string& id, const std::string& type, json::value settings) {
    return {{"id", id}, {"type", type}, {"version", 1}, {"position", {{"x", 10}, {"y", 20}}},
            {"data", {{"label", id}, {"settings", std::move(settings)}}}};
}

json::object edge(const std::string& from, const std::string& to) {
    return {{"id", from + "-" + to}, {"source", from}, {"target", to}};
}

json::object valid_graph() {
    return {{"nodes", json::array{node("trigger", "system.webhook"),
                                  node("transform", "system.transform", {{"output", {{"x", "{{trigger.body.x}}"}}}})}},
            {"edges", json::array{edge("trigger", "transform")}},
            {"viewport", {{"x", 5}, {"y", 6}, {"zoom", 1.5}}}};
}

void check_problem(const api_answer& r, int status, std::string_view code) {
    INFO(r.raw.body);
    CHECK(r.status == status);
    REQUIRE(r.header("content-type"));
    CHECK(*r.header("content-type") == "application/problem+json");
    REQUIRE(r.body.is_object());
    CHECK(r.body.at("status").as_int64() == status);
    CHECK(r.body.at("code").as_string() == code);
    CHECK(r.body.at("type").as_string() == host::problem_type(code));
}

std::string create_scenario(api_server& s, const std::string& token, const std::string& name) {
    auto r = s.call_json("POST", "/api/v1/scenarios", token, json::object{{"name", name}});
    INFO(r.raw.body);
    REQUIRE(r.status == 201);
    return std::string(r.body.at("id").as_string());
}

long long audit_count(api_server& s, const std::string& action, const std::string& resource_id) {
    pqxx::connection c(s.conninfo());
    pqxx::work tx(c);
    return tx.exec_params1("SELECT count(*) FROM audit_logs WHERE action = $1 AND resource_id = $2", action, resource_id)[0]
        .as<long long>();
}

} // namespace sr::test
