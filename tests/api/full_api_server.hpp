#pragma once
// The API wired as the daemon wires it, over an api_server's database and loaded plugins: a
// vault, the plugins, an io_context for dry-runs and connection tests, webhook endpoints
// synced on publish, and the webhook delivery routes (POST /webhooks/{endpoint}) beside
// /api/v1, on 127.0.0.1 with two I/O threads.
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "api/api_context.hpp"
#include "api_fixture.hpp"
#include "db/db_pool.hpp"
#include "http/http_server.hpp"
#include "http/router.hpp"
#include "security/vault.hpp"
#include "webhooks/webhook_metrics.hpp"
#include "webhooks/webhook_routes.hpp"

namespace sr::test {

class full_api_server {
public:
    explicit full_api_server(api_server& s);
    ~full_api_server();

    std::uint16_t port() const { return port_; }
    const host::vault& keys() const { return keys_; }

    api_answer call(std::string_view method, std::string_view target, const std::string& token,
                    std::string_view body = {}, std::string_view extra_headers = {});
    api_answer call_json(std::string_view method, std::string_view target, const std::string& token,
                         const boost::json::value& body, std::string_view extra_headers = {});

    // A connection of the organization, sealed with this server's vault; returns its id.
    std::string connect(const std::string& org_id, const std::string& integration, const std::string& type,
                        const boost::json::object& credentials);
    // A scenario of the organization (through the API, as `token`) with `graph` as its draft;
    // publishes it when `publish`. Returns its id.
    std::string scenario(const std::string& token, const boost::json::value& graph, bool publish = false);

    std::vector<std::string> errors(); // what the API and webhooks logged

private:
    api_server& base_;
    boost::asio::io_context ioc_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
    host::vault keys_;
    host::db_pool pool_;
    host::api_context ctx_;
    host::webhook_metrics metrics_;
    std::unique_ptr<host::webhook_context> hooks_;
    host::router routes_;
    std::unique_ptr<host::http_server> server_;
    std::uint16_t port_ = 0;
    std::vector<std::thread> threads_;
    std::mutex errors_mutex_;
    std::vector<std::string> errors_;
};

// The status codes docs/openapi.json lists for an operation (empty when it is not documented).
std::set<int> documented_statuses(const std::string& method, const std::string& path_pattern);

// Rows of a table (e.g. "runs", "node_runs"), or of audit_logs with that action.
long long count_rows(const std::string& conninfo, const std::string& table);
long long count_audit(const std::string& conninfo, const std::string& action);

} // namespace sr::test
