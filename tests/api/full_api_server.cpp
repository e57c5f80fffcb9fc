#include "full_api_server.hpp"

#include <fstream>
#include <future>
#include <sstream>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "api/api_routes.hpp"
#include "connections/connection_repository.hpp"
#include "io_drain.hpp"
#include "security/master_key.hpp"
#include "test_paths.hpp"
#include "webhooks/webhook_endpoints.hpp"

namespace sr::test {

namespace json = boost::json;

full_api_server::full_api_server(api_server& s)
    : base_(s), guard_(boost::asio::make_work_guard(ioc_)), keys_(host::master_key::generate()),
      pool_(s.conninfo(), 2), ctx_{pool_, s.plugins().catalog(), 512 * 1024, {}, {}} {
    auto log = [this](std::string_view m) {
        std::lock_guard lock(errors_mutex_);
        errors_.emplace_back(m);
    };
    ctx_.log_error = log;
    ctx_.keys = &keys_;
    // The api_server's plugins (one host_services per process): their calls run on its I/O
    // threads; dry-runs and connection tests wait for them on this server's io_context.
    ctx_.plugins = &s.plugins();
    ctx_.io = ioc_.get_executor();
    ctx_.on_version_current = [this](pqxx::transaction_base& tx, const std::string&, const std::string& scenario_id,
                                      const json::value& definition) -> json::value {
        json::array out;
        for (const auto& e : host::sync_webhook_endpoints(tx, keys_, scenario_id, definition))
            out.push_back(json::object{{"node_id", e.node_id}, {"url", "/webhooks/" + e.public_id}});
        return out;
    };
    host::add_api_routes(routes_, ctx_);
    hooks_ = std::make_unique<host::webhook_context>(host::webhook_context{pool_, keys_, metrics_});
    hooks_->log_error = log;
    host::add_webhook_routes(routes_, *hooks_);
    host::http_server_config config;
    config.listen = "127.0.0.1:0";
    config.body_limit = 1024 * 1024;
    config.log_error = log;
    server_ = std::make_unique<host::http_server>(
        ioc_, config, host::async_request_handler([this](host::http_request r, host::respond_fn respond) {
            routes_.dispatch(std::move(r), std::move(respond));
        }));
    port_ = server_->start();
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
}

full_api_server::~full_api_server() {
    std::promise<void> stopped;
    server_->stop(std::chrono::milliseconds(2000), [&] { stopped.set_value(); });
    stopped.get_future().wait_for(std::chrono::seconds(5));
    drain(ioc_, guard_, threads_);
    server_.reset();
}

api_answer full_api_server::call(std::string_view method, std::string_view target, const std::string& token,
                                 std::string_view body, std::string_view extra_headers) {
    return call_api(port_, method, target, token, body, extra_headers, std::chrono::seconds(30));
}

api_answer full_api_server::call_json(std::string_view method, std::string_view target, const std::string& token,
                                      const json::value& body, std::string_view extra_headers) {
    return call(method, target, token, json::serialize(body), extra_headers);
}

std::string full_api_server::connect(const std::string& org_id, const std::string& integration,
                                     const std::string& type, const json::object& credentials) {
    pqxx::connection conn(base_.conninfo());
    pqxx::work tx(conn);
    auto row = host::create_connection(tx, keys_, org_id, "", integration, type, "test connection", credentials);
    tx.commit();
    return row.id;
}

std::string full_api_server::scenario(const std::string& token, const json::value& graph, bool publish) {
    auto created = call_json("POST", "/api/v1/scenarios", token, json::object{{"name", "scenario"}});
    REQUIRE(created.status == 201);
    std::string id(created.body.at("id").as_string());
    auto saved = call_json("PUT", "/api/v1/scenarios/" + id + "/graph", token, graph);
    INFO(saved.raw.body);
    REQUIRE(saved.status == 200);
    if (publish) {
        auto published = call("POST", "/api/v1/scenarios/" + id + "/publish", token);
        INFO(published.raw.body);
        REQUIRE(published.status == 201);
    }
    return id;
}

std::vector<std::string> full_api_server::errors() {
    std::lock_guard lock(errors_mutex_);
    return errors_;
}

std::set<int> documented_statuses(const std::string& method, const std::string& path_pattern) {
    std::ifstream in(source_dir() / "docs" / "openapi.json");
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    auto doc = json::parse(text.str());
    std::set<int> out;
    const auto* item = doc.at("paths").as_object().if_contains(path_pattern);
    if (!item) return out;
    const auto* operation = item->as_object().if_contains(method);
    if (!operation) return out;
    for (const auto& [code, r] : operation->at("responses").as_object()) out.insert(std::stoi(std::string(code)));
    return out;
}

long long count_rows(const std::string& conninfo, const std::string& table) {
    pqxx::connection conn(conninfo);
    pqxx::work tx(conn);
    return tx.exec1("SELECT count(*) FROM " + tx.quote_name(table))[0].as<long long>();
}

long long count_audit(const std::string& conninfo, const std::string& action) {
    pqxx::connection conn(conninfo);
    pqxx::work tx(conn);
    return tx.exec_params1("SELECT count(*) FROM audit_logs WHERE action = $1", action)[0].as<long long>();
}

} // namespace sr::test
