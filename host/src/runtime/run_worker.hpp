#pragma once
// The durable executor of one host: claims runs from PostgreSQL, runs them with the engine's
// run_executor, and stores their progress so a crash loses nothing.
//
// Durability rule (docs/architecture.md, "Run model"): the result of a node with side effects,
// and every suspend, is committed before the run goes on, through the group-committing
// run_writer; nodes without side effects are recomputed after a crash. A claimed run replays
// its committed results (journal) instead of calling those nodes again, so a completed side
// effect never repeats; a node whose call was in flight at the crash runs again with the same
// idempotency key. A run that only waits for a long suspend (system.delay) is parked in the
// database and releases its lease; it is claimed again when its time comes, by any host.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <pqxx/dbtransaction>
#include <pqxx/transaction_base>

#include "db/db_pool.hpp"
#include "runtime/loaded_plugins.hpp"
#include "runtime/run_claims.hpp"
#include "runtime/run_log_book.hpp"
#include "runtime/run_waiters.hpp"
#include "services/json_log.hpp"
#include "sr/core/engine/circuit_breaker.hpp"

namespace sr::host {

struct node_row;

struct worker_options {
    std::string owner;                // unique per host process; stored as runs.lease_owner
    int64_t lease_ms = 30'000;        // a dead host's runs are taken over after this
    std::size_t max_runs = 512;       // runs executing at once on this host
    int claim_batch = 128;            // runs claimed per transaction
    int64_t park_after_ms = 2'000;    // a run idle for longer than this is parked
    std::chrono::milliseconds poll_interval{500}; // covers missed notifications and due waits
    // Decrypted credentials of a connection, read in the claim transaction (on a db thread)
    // and kept in memory for that run only. Null: nodes with connections get none.
    std::function<std::string(pqxx::transaction_base&, const std::string& org_id, const std::string& connection_id)>
        load_credentials;
    // Told of each node row of a run as the run finishes on this host, on the run's strand
    // (node durations for /metrics). Null: nothing is told.
    std::function<void(const node_row&)> node_finished;
    // Lines plugins log during each run (fed by host_services' run-log sink), stored with the
    // run's record when it finishes. Null: only the engine's own lines are stored.
    run_log_book* run_logs = nullptr;
    // Run log lines below this level (engine's and plugins') are not stored (run_log_lines.hpp).
    sr_log_level run_log_level = SR_LOG_INFO;
    // Group-commit transactions of run progress that may be in flight at once (run_writer).
    std::size_t writer_lanes = 1;
};

class run_worker;

// Hand-off: a run stored by this host (a webhook delivery) is executed here at once, stored
// already running under this host's lease, so it costs no claim transaction and no wake-up.
// run_worker::reserve() holds a place for it; prepare() runs in the transaction that stores
// the run; start() after that transaction committed. Destroyed before start() (the
// transaction failed), it gives the place back. If the host dies in between, the run's lease
// lapses and another host takes it over like any other.
class run_handoff {
public:
    ~run_handoff();
    run_handoff(const run_handoff&) = delete;
    run_handoff& operator=(const run_handoff&) = delete;

    const std::string& owner() const;
    int64_t lease_ms() const;
    // On a db thread, in the storing transaction: the run's plan and credentials.
    void prepare(pqxx::dbtransaction& tx, claimed_run run);
    // Once, after the commit. A host that started draining meanwhile gives the run back to the queue.
    void start();

private:
    friend class run_worker;
    struct impl;
    explicit run_handoff(std::unique_ptr<impl> i);
    std::unique_ptr<impl> impl_;
};

class run_worker {
public:
    // Everything passed in must outlive the worker. `waiters` may be null.
    run_worker(boost::asio::io_context& ioc, db_pool& pool, const loaded_plugins& plugins, worker_options options,
               json_log& log, run_waiters* waiters = nullptr, core::engine::breaker_registry* breakers = nullptr);
    ~run_worker();
    run_worker(const run_worker&) = delete;
    run_worker& operator=(const run_worker&) = delete;

    // Starts claiming, the heartbeat and the LISTEN wake-ups.
    void start();
    // Thread-safe: look for work now.
    void wake();
    // Stops claiming; runs in flight get `grace` to finish, the rest go back to the queue for
    // another host. `done` runs once on an io_context thread.
    void drain(std::chrono::milliseconds grace, std::function<void()> done);
    // Runs executing on this host now (thread-safe, approximate).
    std::size_t active() const;
    // Thread-safe. Null when the host is full or draining: store the run queued instead.
    std::unique_ptr<run_handoff> reserve();

private:
    friend class run_handoff;
    struct state;
    std::shared_ptr<state> state_;
};

} // namespace sr::host
