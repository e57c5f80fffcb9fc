#pragma once
// An in-process host for the /metrics tests: an io_context on two threads, a db_pool on a test
// database, the run figures cache, a router the test fills, and a real HTTP server on
// 127.0.0.1 (optionally behind request_limits). Plus a reader for the exposition text.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "db/db_pool.hpp"
#include "http/http_server.hpp"
#include "http/router.hpp"
#include "observability/request_limits.hpp"
#include "observability/run_stats_cache.hpp"
#include "test_servers.hpp"

namespace sr::test {

class observed_host {
public:
    explicit observed_host(const std::string& conninfo, std::chrono::milliseconds ttl = std::chrono::seconds(2));
    ~observed_host();

    // Starts serving the routes added so far; with `limits`, behind them.
    void serve(host::request_limits* limits = nullptr);
    std::uint16_t port() const { return port_; }

    // One request on a fresh connection.
    raw_response request(std::string_view method, std::string_view target, std::string_view body = {},
                         std::string_view extra_headers = {});
    // GET /metrics; fails the test unless it answers 200.
    std::string scrape();

    boost::asio::io_context ioc;
    host::db_pool pool;
    host::run_stats_cache runs;
    host::router routes;

private:
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
    std::unique_ptr<host::http_server> server_;
    std::vector<std::thread> threads_;
    std::uint16_t port_ = 0;
};

// The value of the sample line whose series is exactly `series` (name and labels as written,
// e.g. `sr_runs{status="queued"}`); nullopt when there is none.
std::optional<double> sample_value(const std::string& text, std::string_view series);
// Every line of `text` that starts with `prefix`.
std::vector<std::string> lines_starting(const std::string& text, std::string_view prefix);

} // namespace sr::test
