#include "webhook_fixture.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <future>

#include <fmt/format.h>

#include "db/migrator.hpp"
#include "io_drain.hpp"

namespace sr::test {
namespace {

// Plugins as the seeder registers them: "system" (webhook trigger, hmac_sha256), "stripe"
// and "monday" (provider schemes), "clock" (a polling trigger, not a webhook).
void register_manifests(pqxx::connection& conn) {
    pqxx::work tx(conn);
    auto add = [&](const std::string& id, const std::string& triggers) {
        auto integration = tx.exec_params1("INSERT INTO integrations (manifest_id, name) VALUES ($1, $1) RETURNING id", id)[0]
                               .as<std::string>();
        tx.exec_params("INSERT INTO integration_versions (integration_id, version, major, minor, patch, manifest, is_latest, "
                       "  abi_major, abi_minor, sha256, file) "
                       "VALUES ($1, '1.0.0', 1, 0, 0, $2::jsonb, true, 1, 0, repeat('a', 64), $3)",
                       integration, fmt::format(R"({{"id": "{}", "triggers": {}}})", id, triggers), id + ".so");
    };
    add("system", R"([{"id": "webhook", "kind": "webhook", "verification": "hmac_sha256"}, {"id": "manual", "kind": "manual"}])");
    add("stripe", R"([{"id": "event", "kind": "webhook", "verification": "stripe"}])");
    add("monday", R"([{"id": "item_changed", "kind": "webhook", "verification": "monday"}])");
    add("clock", R"([{"id": "webhook", "kind": "polling"}])");
    tx.commit();
}

} // namespace

webhook_env::webhook_env() : conn(db.conninfo()), keys(host::master_key::generate()) {
    host::migrate(conn);
    register_manifests(conn);
    org = create_organization("acme");
    scenario = create_scenario();
}

std::string webhook_env::create_organization(const std::string& slug) {
    pqxx::work tx(conn);
    auto id = tx.exec_params1("INSERT INTO organizations (name, slug) VALUES ($1, $1) RETURNING id::text", slug)[0]
                  .as<std::string>();
    tx.commit();
    return id;
}

std::string webhook_env::create_scenario(const std::string& owner) {
    pqxx::work tx(conn);
    auto id = tx.exec_params1("INSERT INTO scenarios (organization_id, name) VALUES ($1, 'hooked') RETURNING id::text",
                              owner.empty() ? org : owner)[0]
                  .as<std::string>();
    tx.commit();
    return id;
}

std::vector<host::webhook_endpoint_row> webhook_env::publish(const boost::json::value& graph) {
    return publish(scenario, graph);
}

std::vector<host::webhook_endpoint_row> webhook_env::publish(const std::string& scenario_id, const boost::json::value& graph) {
    pqxx::work tx(conn);
    auto version = tx.exec_params1("INSERT INTO scenario_versions (scenario_id, number, definition) "
                                   "SELECT $1, coalesce(max(number), 0) + 1, $2::jsonb FROM scenario_versions WHERE scenario_id = $1 "
                                   "RETURNING id::text",
                                   scenario_id, boost::json::serialize(graph))[0]
                       .as<std::string>();
    tx.exec_params("UPDATE scenarios SET current_version_id = $1, status = 'active' WHERE id = $2", version, scenario_id);
    auto rows = host::sync_webhook_endpoints(tx, keys, scenario_id, graph);
    tx.commit();
    return rows;
}

std::string webhook_env::secret(const std::string& node_id) {
    pqxx::work tx(conn);
    return host::webhook_secret(tx, keys, org, scenario, node_id);
}

long long webhook_env::count(const std::string& sql) {
    pqxx::work tx(conn);
    return tx.exec1(sql)[0].as<long long>();
}

void webhook_env::execute(const std::string& sql) {
    pqxx::work tx(conn);
    tx.exec(sql);
    tx.commit();
}

std::string webhook_env::text(const std::string& sql) {
    pqxx::work tx(conn);
    auto r = tx.exec(sql);
    return r.empty() || r[0][0].is_null() ? std::string{} : r[0][0].as<std::string>();
}

boost::json::value graph_with(const std::string& id, const std::string& type, boost::json::object settings) {
    return boost::json::object{
        {"nodes", boost::json::array{
                      boost::json::object{{"id", id}, {"type", type}, {"position", {{"x", 0}, {"y", 0}}},
                                          {"data", {{"settings", std::move(settings)}}}},
                      boost::json::object{{"id", "log"}, {"type", "system.log"}, {"position", {{"x", 200}, {"y", 0}}},
                                          {"data", {{"settings", {{"message", "got it"}}}}}}}},
        {"edges", boost::json::array{boost::json::object{{"id", "e1"}, {"source", id}, {"target", "log"}}}}};
}

boost::json::value graph_with_nodes(const std::vector<std::pair<std::string, std::string>>& id_types) {
    boost::json::array nodes;
    for (const auto& [id, type] : id_types)
        nodes.push_back(boost::json::object{{"id", id}, {"type", type}, {"position", {{"x", 0}, {"y", 0}}}});
    return boost::json::object{{"nodes", std::move(nodes)}, {"edges", boost::json::array{}}};
}

webhook_server::webhook_server(webhook_env& env, host::webhook_ingest_options options, std::size_t server_body_limit,
                               std::size_t db_threads, bool with_waiters)
    : work_(boost::asio::make_work_guard(ioc_)),
      pool_(env.db.conninfo(), db_threads),
      waiters_(with_waiters ? std::make_unique<host::run_waiters>(ioc_) : nullptr),
      ctx_{pool_, env.keys, env.metrics, options, waiters_.get(), [this](std::string_view m) {
               std::lock_guard lock(mutex_);
               errors_.emplace_back(m);
           }} {
    host::add_webhook_routes(routes_, ctx_);
    host::http_server_config config;
    config.listen = "127.0.0.1:0";
    config.body_limit = server_body_limit;
    config.log_error = ctx_.log_error;
    server_ = std::make_unique<host::http_server>(
        ioc_, config, [this](host::http_request r, host::respond_fn respond) { routes_.dispatch(std::move(r), std::move(respond)); });
    port_ = server_->start();
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
}

webhook_server::~webhook_server() {
    std::promise<void> done;
    server_->stop(std::chrono::milliseconds(2000), [&] { done.set_value(); });
    done.get_future().wait();
    drain(ioc_, work_, threads_);
}

std::vector<std::string> webhook_server::errors() {
    std::lock_guard lock(mutex_);
    return errors_;
}

std::string hmac_hex(const std::string& key, const std::string& message) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
         message.size(), out, &len);
    std::string hex;
    for (unsigned int i = 0; i < len; ++i) hex += fmt::format("{:02x}", out[i]);
    return hex;
}

std::string now_unix() {
    return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count());
}

} // namespace sr::test
