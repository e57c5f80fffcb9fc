#include "runtime_fixture.hpp"

#include <future>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "db/migrator.hpp"
#include "io_drain.hpp"
#include "test_paths.hpp"

namespace sr::test {

namespace json = boost::json;

json::object graph_node(const std::string& id, const std::string& type, json::value settings) {
    return {{"id", id}, {"type", type}, {"version", 1}, {"position", {{"x", 0}, {"y", 0}}},
            {"data", {{"label", id}, {"settings", std::move(settings)}}}};
}

json::object graph_edge(const std::string& from, const std::string& to) {
    return {{"id", from + "-" + to}, {"source", from}, {"target", to}};
}

runtime_db::runtime_db() {
    pqxx::connection conn(db_.conninfo());
    host::migrate(conn);
    pqxx::work tx(conn);
    auto org = tx.exec1("INSERT INTO organizations (name, slug) VALUES ('Acme', 'acme') RETURNING id::text");
    auto scenario = tx.exec_params1("INSERT INTO scenarios (organization_id, name) VALUES ($1, 'flow') RETURNING id::text",
                                    org[0].as<std::string>());
    scenario_id_ = scenario[0].as<std::string>();
    tx.commit();
}

std::string runtime_db::publish(const json::value& graph) {
    pqxx::connection conn(db_.conninfo());
    pqxx::work tx(conn);
    auto row = tx.exec_params1("INSERT INTO scenario_versions (scenario_id, number, definition) VALUES ($1, $2, $3::jsonb) "
                               "RETURNING id::text",
                               scenario_id_, ++versions_, json::serialize(graph));
    auto version = row[0].as<std::string>();
    tx.exec_params("UPDATE scenarios SET current_version_id = $1, status = 'active' WHERE id = $2", version, scenario_id_);
    tx.commit();
    return version;
}

std::string runtime_db::enqueue(json::value trigger_data, std::string idempotency_key) {
    pqxx::connection conn(db_.conninfo());
    pqxx::work tx(conn);
    host::new_run run;
    run.scenario_id = scenario_id_;
    run.trigger_kind = "manual";
    run.trigger_data = std::move(trigger_data);
    run.idempotency_key = std::move(idempotency_key);
    auto queued = host::enqueue_run(tx, run);
    tx.commit();
    return queued.run_id;
}

std::string runtime_db::scalar(const std::string& sql) {
    pqxx::connection conn(db_.conninfo());
    pqxx::nontransaction tx(conn);
    auto r = tx.exec1(sql);
    return r[0].is_null() ? std::string() : r[0].as<std::string>();
}

void runtime_db::exec(const std::string& sql) {
    pqxx::connection conn(db_.conninfo());
    pqxx::nontransaction tx(conn);
    tx.exec(sql);
}

bool runtime_db::wait_count(const std::string& sql, int expected, std::chrono::milliseconds limit) {
    pqxx::connection conn(db_.conninfo());
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        pqxx::nontransaction tx(conn);
        if (tx.exec1(sql)[0].as<int>() == expected) return true;
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

effect_server::effect_server()
    : server_([this](server_connection& c) {
          while (auto req = c.read_request()) {
              {
                  std::lock_guard lock(mutex_);
                  const std::string* key = req->header("idempotency-key");
                  keys_.push_back(key ? *key : std::string());
              }
              ++requests_;
              static constexpr std::string_view ok =
                  "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}";
              c.write(ok);
          }
      }) {}

std::string effect_server::url(const std::string& path) const {
    return fmt::format("http://127.0.0.1:{}{}", server_.port(), path);
}

std::vector<std::string> effect_server::keys() const {
    std::lock_guard lock(mutex_);
    return keys_;
}

host::worker_options fast_options(const std::string& owner) {
    host::worker_options o;
    o.owner = owner;
    o.lease_ms = 1500;
    o.poll_interval = std::chrono::milliseconds(100);
    o.park_after_ms = 1000;
    return o;
}

worker_host::worker_host(const std::string& conninfo, host::worker_options options)
    : log_(SR_LOG_WARN), guard_(boost::asio::make_work_guard(ioc_)), services_(ioc_, log_, nullptr),
      registry_(host::load_plugins(plugin_dir(), services_)), plugins_(registry_), pool_(conninfo, 3), waiters_(ioc_) {
    services_.set_run_log_sink([this](std::string_view run_id, std::string_view node_id, sr_log_level level,
                                      std::string_view message) { run_logs_.add(run_id, node_id, level, message); });
    options.run_logs = &run_logs_;
    worker_ = std::make_unique<host::run_worker>(ioc_, pool_, plugins_, std::move(options), log_, &waiters_);
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
    worker_->start();
}

worker_host::~worker_host() {
    std::promise<void> drained;
    worker_->drain(std::chrono::seconds(1), [&drained] { drained.set_value(); });
    drained.get_future().wait_for(std::chrono::seconds(10));
    drain(ioc_, guard_, threads_);
    worker_.reset();
    registry_ = host::plugin_registry();
}

} // namespace sr::test
