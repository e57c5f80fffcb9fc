#pragma once
// A migrated database with an organization, a scenario and the manifests of plugins that
// declare webhook triggers; publishing a graph syncs its endpoints like the API does. And a
// real HTTP server on 127.0.0.1 serving the webhook routes through a db_pool.
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "db/db_pool.hpp"
#include "http/http_server.hpp"
#include "http/router.hpp"
#include "security/vault.hpp"
#include "test_database.hpp"
#include "webhooks/webhook_endpoints.hpp"
#include "webhooks/webhook_metrics.hpp"
#include "webhooks/webhook_routes.hpp"

namespace sr::test {

class webhook_env {
public:
    webhook_env();

    // Stores `graph` as the scenario's next version, makes it current, syncs the endpoints in
    // the same transaction and commits. Returns the active endpoints.
    std::vector<host::webhook_endpoint_row> publish(const boost::json::value& graph);
    std::vector<host::webhook_endpoint_row> publish(const std::string& scenario_id, const boost::json::value& graph);
    // A scenario of the same organization (or of `org`).
    std::string create_scenario(const std::string& org = {});
    std::string create_organization(const std::string& slug);

    std::string secret(const std::string& node_id);
    long long count(const std::string& sql);
    void execute(const std::string& sql); // in its own committed transaction
    std::string text(const std::string& sql); // first column of the first row, "" when none

    test_database db;
    pqxx::connection conn;
    host::vault keys;
    host::webhook_metrics metrics;
    std::string org, scenario;
};

// {"nodes": [trigger node `id` of `type` with `settings`, a log node], "edges": [...]}
boost::json::value graph_with(const std::string& id, const std::string& type, boost::json::object settings = {});
boost::json::value graph_with_nodes(const std::vector<std::pair<std::string, std::string>>& id_types);

class webhook_server {
public:
    explicit webhook_server(webhook_env& env, host::webhook_ingest_options options = {},
                            std::size_t server_body_limit = 1024 * 1024, std::size_t db_threads = 4,
                            bool with_waiters = false);
    ~webhook_server();
    std::uint16_t port() const { return port_; }
    std::vector<std::string> errors();
    host::run_waiters* waiters() { return waiters_.get(); } // null unless with_waiters

private:
    boost::asio::io_context ioc_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    host::db_pool pool_;
    std::unique_ptr<host::run_waiters> waiters_;
    host::webhook_context ctx_;
    host::router routes_;
    std::unique_ptr<host::http_server> server_;
    std::vector<std::thread> threads_;
    std::uint16_t port_ = 0;
    std::mutex mutex_;
    std::vector<std::string> errors_;
};

// Signatures computed here with OpenSSL directly, as a sender would, not with the host's code.
std::string hmac_hex(const std::string& key, const std::string& message);
std::string now_unix();

} // namespace sr::test
