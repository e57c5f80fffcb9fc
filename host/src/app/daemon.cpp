#include "app/daemon.hpp"

#include <atomic>
#include <cstdio>
#include <unistd.h>
#include <chrono>
#include <csignal>
#include <exception>
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>
#include <pqxx/pqxx>

#include "api/api_routes.hpp"
#include "app/publish_hooks.hpp"
#include "app/system_info.hpp"
#include "connections/connection_repository.hpp"
#include "security/vault.hpp"
#include "triggers/poller.hpp"
#include "triggers/schedule_firer.hpp"
#include "maintenance/retention_task.hpp"
#include "observability/metrics_routes.hpp"
#include "observability/node_metrics.hpp"
#include "observability/request_limits.hpp"
#include "webhooks/webhook_routes.hpp"
#include "db/database.hpp"
#include "db/db_pool.hpp"
#include "db/migrator.hpp"
#include "db/seeder.hpp"
#include "http/http_server.hpp"
#include "http/router.hpp"
#include "http/system_routes.hpp"
#include "plugins/plugin_loader.hpp"
#include "runtime/loaded_plugins.hpp"
#include "runtime/run_log_lines.hpp"
#include "runtime/run_waiters.hpp"
#include "runtime/run_worker.hpp"
#include "services/host_services.hpp"
#include "services/json_log.hpp"

namespace sr::host {

namespace net = boost::asio;

namespace {

constexpr auto health_interval = std::chrono::seconds(1);
constexpr auto shutdown_grace = std::chrono::seconds(10);

void info(json_log& log, std::string_view component, const std::string& message) {
    log.write(SR_LOG_INFO, {.component = component}, message);
}

void error(json_log& log, std::string_view component, const std::string& message) {
    log.write(SR_LOG_ERROR, {.component = component}, message);
}

// Keeps /health cheap: a timer asks the pool for SELECT 1 once a second and /health reads the
// last answer, so a request never waits on the database.
class health_monitor {
public:
    health_monitor(net::io_context& ioc, db_pool& pool) : timer_(ioc), pool_(pool) {}

    void start() { schedule(); }
    void stop() { timer_.cancel(); }
    bool database_reachable() const { return ok_->load(); }

private:
    void schedule() {
        timer_.expires_after(health_interval);
        timer_.async_wait([this](boost::system::error_code ec) {
            if (ec) return;
            probe();
            schedule();
        });
    }

    void probe() {
        if (in_flight_->exchange(true)) return; // the previous probe is still waiting
        auto ok = ok_;
        auto in_flight = in_flight_;
        pool_.post(
            [ok, in_flight](pqxx::connection& c) {
                pqxx::nontransaction tx(c);
                tx.exec("SELECT 1");
                ok->store(true);
                in_flight->store(false);
            },
            [ok, in_flight](std::exception_ptr) {
                ok->store(false);
                in_flight->store(false);
            });
    }

    net::steady_timer timer_;
    db_pool& pool_;
    std::shared_ptr<std::atomic<bool>> ok_ = std::make_shared<std::atomic<bool>>(true);
    std::shared_ptr<std::atomic<bool>> in_flight_ = std::make_shared<std::atomic<bool>>(false);
};

void migrate_database(json_log& log, const std::string& conninfo) {
    pqxx::connection conn(conninfo);
    migrate_report report = migrate(conn);
    if (report.applied.empty())
        info(log, "db", fmt::format("schema is up to date at version {}", report.to_version));
    else
        info(log, "db", fmt::format("schema migrated from version {} to {}", report.from_version, report.to_version));
}

void seed_registry(json_log& log, const std::string& conninfo, const plugin_registry& registry) {
    pqxx::connection conn(conninfo);
    seed_report report = seed_plugins(conn, registry.records(), false);
    info(log, "seed", fmt::format("plugins seeded {}, updated {}, skipped {}, errors {}", report.seeded,
                                  report.updated, report.skipped, report.errors.size()));
    for (const auto& e : report.errors) error(log, "seed", e);
}

plugin_registry load_registry(json_log& log, const daemon_options& options, host_services& services) {
    plugin_registry registry = load_plugins(options.plugins_dir, services);
    for (const auto& p : registry.loaded())
        info(log, "plugins", fmt::format("loaded {} {} from {}", p.instance->id(), p.instance->version(), p.file));
    for (const auto& r : registry.refused()) error(log, "plugins", "refused " + r.reason);
    return registry;
}

std::string default_host_id() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) std::snprintf(name, sizeof name, "host");
    return fmt::format("{}:{}", name, ::getpid());
}

worker_options make_worker_options(const daemon_options& options) {
    worker_options w;
    w.owner = options.host_id.empty() ? default_host_id() : options.host_id;
    w.lease_ms = static_cast<int64_t>(options.lease_seconds) * 1000;
    w.max_runs = options.max_runs;
    w.run_log_level = parse_log_level(options.run_log_level).value_or(SR_LOG_INFO);
    w.writer_lanes = options.writer_lanes;
    return w;
}

// Runs the io_context on `threads` threads until it runs out of work; the calling thread is
// one of them.
void run_threads(net::io_context& ioc, std::size_t threads, json_log& log) {
    auto body = [&ioc, &log] {
        for (;;) {
            try {
                ioc.run();
                return;
            } catch (const std::exception& e) {
                // A handler that throws must not take the whole host down.
                error(log, "io", std::string("unhandled exception in an I/O handler: ") + e.what());
            }
        }
    };
    std::vector<std::thread> pool;
    for (std::size_t i = 1; i < threads; ++i) pool.emplace_back(body);
    body();
    for (auto& t : pool) t.join();
}

} // namespace

int run_daemon(const daemon_options& options) {
    json_log log;
    try {
        // Declared in start-up order, destroyed in the reverse: the server stops first, the
        // plugins are deinitialised while the services they use still exist, and the private
        // PostgreSQL stops last.
        database_handle db = open_database(options.data_dir);
        const char* where = db.cluster ? "private" : "external";
        info(log, "db", db.cluster ? "using the private PostgreSQL under " + options.data_dir.string()
                                   : std::string("using the PostgreSQL in SR_DATABASE_URL"));
        migrate_database(log, db.conninfo);

        net::io_context ioc(static_cast<int>(options.io_threads));
        db_pool pool(db.conninfo, options.db_threads);
        run_log_book run_logs; // outlives the services that feed it and the worker that reads it
        host_services services(ioc, log, &pool);
        services.set_run_log_sink([&run_logs](std::string_view run_id, std::string_view node_id, sr_log_level level,
                                              std::string_view message) {
            run_logs.add(run_id, node_id, level, message);
        });
        plugin_registry registry = load_registry(log, options, services);
        seed_registry(log, db.conninfo, registry);

        vault keys = vault::from_environment(options.data_dir);
        loaded_plugins plugins(registry);
        core::engine::breaker_registry breakers;
        run_waiters waiters(ioc);
        auto worker_opts = make_worker_options(options);
        worker_opts.run_logs = &run_logs;
        worker_opts.load_credentials = [&keys](pqxx::transaction_base& tx, const std::string& org,
                                               const std::string& connection) {
            return open_credentials(tx, keys, org, connection);
        };
        node_metrics node_durations;
        worker_opts.node_finished = [&node_durations](const node_row& row) { node_durations.observe(row); };
        run_worker worker(ioc, pool, plugins, std::move(worker_opts), log, &waiters, &breakers);
        poller_options poll_opts;
        poll_opts.load_credentials = [&keys](pqxx::transaction_base& tx, const std::string& org,
                                             const std::string& connection) {
            return open_credentials(tx, keys, org, connection);
        };
        poll_opts.log_error = [&log](const std::string& m) { error(log, "polling", m); };
        auto pollers = poller::create(ioc, pool, plugins, std::move(poll_opts));
        auto schedules = schedule_firer::create(ioc, pool, {}, [&log](const schedule_problem& p) {
            error(log, "schedules", "schedule " + p.schedule_id + ": " + p.message);
        });
        retention_config retention_cfg;
        retention_cfg.days = options.retention_days;
        auto retention = retention_task::create(
            ioc, pool, retention_cfg,
            [&log](const prune_report& r) {
                if (!r.skipped && r.deleted > 0)
                    info(log, "retention", fmt::format("deleted {} finished runs older than {}", r.deleted, r.cutoff));
            },
            [&log](const std::string& m) { error(log, "retention", m); });

        health_monitor health(ioc, pool);
        router routes;
        add_system_routes(routes, system_status{
                                      [&health] { return health.database_reachable(); },
                                      [&registry, where] { return describe_system(registry, where); },
                                  });
        api_context api{pool, plugins.catalog(), 512 * 1024,
                        [&keys](pqxx::transaction_base& tx, const std::string&, const std::string& scenario_id,
                                const boost::json::value& definition) {
                            return activate_version_triggers(tx, keys, scenario_id, definition);
                        },
                        [&log](std::string_view m) { error(log, "api", std::string(m)); }};
        api.keys = &keys;
        api.plugins = &plugins;
        api.io = ioc.get_executor(); // dry-runs and connection tests run here
        add_api_routes(routes, api);
        webhook_metrics hook_metrics;
        webhook_context hooks{pool, keys, hook_metrics, {}, &waiters,
                              [&log](std::string_view m) { error(log, "webhooks", std::string(m)); }};
        queue_signal ingest_signal;
        ingest_signal.set_local_wake([&worker] { worker.wake(); });
        hooks.options.notify_in_transaction = false;
        if (options.handoff) hooks.options.local_worker = &worker; // runs stored here start here, unclaimed
        hooks.signal = &ingest_signal;
        add_webhook_routes(routes, hooks);
        run_stats_cache run_figures(pool);
        request_limits limits(rate_limit_config{options.api_rate_limit, options.webhook_rate_limit,
                                                options.other_rate_limit});
        add_metrics_routes(routes, metrics_sources{&run_figures, &node_durations, &hook_metrics, &breakers, &limits,
                                                   [&worker] { return worker.active(); }, host_version()});

        http_server_config config;
        config.listen = options.listen;
        config.proxies = options.proxies;
        config.log_error = [&log](std::string_view m) { error(log, "http", std::string(m)); };
        http_server server(ioc, config,
                           limit_requests(limits, [&routes](http_request r, respond_fn respond) {
                               routes.dispatch(std::move(r), std::move(respond));
                           }));
        const auto port = server.start();
        health.start();
        worker.start();
        schedules->start();
        retention->start();
        pollers->start();
        info(log, "http", fmt::format("listening on {} (port {})", options.listen, port));

        auto guard = net::make_work_guard(ioc);
        net::signal_set signals(ioc, SIGINT, SIGTERM);
        signals.async_wait([&](boost::system::error_code ec, int signal) {
            if (ec) return;
            info(log, "daemon", fmt::format("signal {} received: stopping", signal));
            health.stop();
            schedules->stop();
            retention->stop();
            pollers->stop();
            // Graceful drain: no new requests or claims; runs in flight finish or go back to
            // the queue for another host.
            server.stop(shutdown_grace, [&worker, &guard, &log] {
                worker.drain(shutdown_grace, [&guard, &log] {
                    info(log, "daemon", "drained");
                    guard.reset();
                });
            });
        });
        run_threads(ioc, options.io_threads, log);
        info(log, "daemon", "stopped");
        return 0;
    } catch (const schema_too_new& e) {
        error(log, "db", e.what());
        return 3;
    } catch (const std::exception& e) {
        error(log, "daemon", std::string("cannot start: ") + e.what());
        return 1;
    }
}

} // namespace sr::host
