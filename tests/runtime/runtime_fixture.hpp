#pragma once
// A migrated test database with one organization and scenario, a way to publish a graph as a
// version (rows written directly: the runtime reads versions, it does not publish them), and
// an in-process host running the real worker with the real bundled plugins.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "db/db_pool.hpp"
#include "plugins/plugin_loader.hpp"
#include "runtime/loaded_plugins.hpp"
#include "runtime/run_log_book.hpp"
#include "runtime/run_queue.hpp"
#include "runtime/run_waiters.hpp"
#include "runtime/run_worker.hpp"
#include "services/host_services.hpp"
#include "services/json_log.hpp"
#include "test_database.hpp"
#include "test_servers.hpp"

namespace sr::test {

boost::json::object graph_node(const std::string& id, const std::string& type,
                               boost::json::value settings = boost::json::object());
boost::json::object graph_edge(const std::string& from, const std::string& to);

class runtime_db {
public:
    runtime_db();
    const std::string& conninfo() const { return db_.conninfo(); }
    const std::string& scenario_id() const { return scenario_id_; }
    // Stores `graph` as the next version and makes it current; returns the version id.
    std::string publish(const boost::json::value& graph);
    std::string enqueue(boost::json::value trigger_data = boost::json::object(), std::string idempotency_key = "");
    std::string scalar(const std::string& sql);
    int count(const std::string& sql) { return std::stoi(scalar(sql)); }
    void exec(const std::string& sql);
    // Polls `sql` (a count) until it reaches `expected`; false after `limit`.
    bool wait_count(const std::string& sql, int expected, std::chrono::milliseconds limit);

private:
    test_database db_;
    std::string scenario_id_;
    int versions_ = 0;
};

// An HTTP server on 127.0.0.1 standing in for a service with side effects: it answers 200 with
// {"ok":true} and records the Idempotency-Key of every request.
class effect_server {
public:
    effect_server();
    std::string url(const std::string& path) const;
    std::vector<std::string> keys() const;
    int requests() const { return requests_.load(); }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> keys_;
    std::atomic<int> requests_{0};
    scripted_server server_;
};

class worker_host {
public:
    worker_host(const std::string& conninfo, host::worker_options options);
    ~worker_host(); // drains the worker (1 s grace) and stops
    host::run_worker& worker() { return *worker_; }
    host::run_waiters& waiters() { return waiters_; }

private:
    boost::asio::io_context ioc_;
    host::json_log log_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
    host::run_log_book run_logs_; // fed by services_, read by the worker, as in scenariod
    host::host_services services_;
    host::plugin_registry registry_;
    host::loaded_plugins plugins_;
    host::db_pool pool_;
    host::run_waiters waiters_;
    std::unique_ptr<host::run_worker> worker_;
    std::vector<std::thread> threads_;
};

host::worker_options fast_options(const std::string& owner);

} // namespace sr::test
