#pragma once
// A real API server for the tests: a fresh migrated database, the bundled plugins loaded from
// build/plugins and seeded, db_pool, the /api/v1 routes on 127.0.0.1:0 with two I/O threads,
// and two organizations (A and B) with a token per role.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "api/api_context.hpp"
#include "auth/permissions.hpp"
#include "db/db_pool.hpp"
#include "http/http_server.hpp"
#include "http/router.hpp"
#include "plugins/plugin_registry.hpp"
#include "runtime/loaded_plugins.hpp"
#include "services/host_services.hpp"
#include "services/json_log.hpp"
#include "test_database.hpp"
#include "test_servers.hpp"

namespace sr::test {

struct org_tokens {
    std::string org_id, slug;
    std::map<host::role, std::string> token;   // one member per role
    std::map<host::role, std::string> user_id;
};

// An answer with its body parsed (null when empty or not JSON).
struct api_answer {
    int status = 0;
    raw_response raw;
    boost::json::value body;
    const std::string* header(std::string_view name) const { return raw.header(name); }
};

// One request to the API on 127.0.0.1:`port` over a fresh connection, with the bearer token
// (if any) and a JSON content type when there is a body; the body is parsed when it is JSON.
api_answer call_api(std::uint16_t port, std::string_view method, std::string_view target, const std::string& token,
                    std::string_view body, std::string_view extra_headers, std::chrono::seconds timeout);

class api_server {
public:
    explicit api_server(std::size_t max_body_bytes = 512 * 1024);
    ~api_server();

    std::uint16_t port() const { return port_; }
    const std::string& conninfo() const { return db_.conninfo(); }
    host::router& routes() { return routes_; }
    const host::loaded_plugins& plugins() const { return *plugins_; }

    // One request on a fresh connection; `token` "" sends no Authorization header.
    api_answer call(std::string_view method, std::string_view target, const std::string& token,
                    std::string_view body = {}, std::string_view extra_headers = {});
    api_answer call_json(std::string_view method, std::string_view target, const std::string& token,
                         const boost::json::value& body, std::string_view extra_headers = {});

    org_tokens a, b;
    std::vector<std::string> errors(); // what the API logged

private:
    org_tokens make_org(const std::string& name);

    test_database db_;
    boost::asio::io_context ioc_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
    host::json_log log_;
    host::host_services services_;
    host::plugin_registry registry_;
    std::unique_ptr<host::loaded_plugins> plugins_;
    std::unique_ptr<host::db_pool> pool_;
    std::unique_ptr<host::api_context> ctx_;
    host::router routes_;
    std::unique_ptr<host::http_server> server_;
    std::uint16_t port_ = 0;
    std::vector<std::thread> threads_;
    std::mutex errors_mutex_;
    std::vector<std::string> errors_;
};

// Graph pieces in React Flow shape for the bundled plugins.
boost::json::object node(const std::string& id, const std::string& type, boost::json::value settings = boost::json::object());
boost::json::object edge(const std::string& from, const std::string& to);
// trigger (system.webhook) -> transform (system.transform): publishable.
boost::json::object valid_graph();

// Checks a problem+json answer: its HTTP status, content type, status member, stable code
// and type URI.
void check_problem(const api_answer& r, int status, std::string_view code);
// Creates a scenario through the API as `token`; returns its id.
std::string create_scenario(api_server& s, const std::string& token, const std::string& name = "Orders");
// Audit rows of `action` on `resource_id`.
long long audit_count(api_server& s, const std::string& action, const std::string& resource_id);

} // namespace sr::test
