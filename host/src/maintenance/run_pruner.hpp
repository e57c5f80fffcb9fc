#pragma once
// Retention of run records: deletes finished runs (their node runs and logs go with them by
// ON DELETE CASCADE) that finished before a cutoff, a small batch per short transaction with
// FOR UPDATE SKIP LOCKED, so no statement holds many locks or waits on a run a worker holds.
// Runs that are pending, queued, running or waiting are never touched, however old.
//
// One pruner at a time across all hosts: the pruner holds a session-level advisory lock on its
// connection for the whole pass; another pass that cannot take it skips (scenariod's timer and
// `scenarioctl runs prune` share this code).
#include <chrono>
#include <cstddef>
#include <string>

#include <pqxx/connection>

namespace sr::host {

struct prune_options {
    std::chrono::seconds older_than{std::chrono::hours(24) * 30};
    std::size_t batch = 500;       // runs per transaction (1..100000)
    std::size_t max_batches = 0;   // 0: until nothing is left to delete
};

struct prune_report {
    bool skipped = false;     // another session was pruning; nothing was done
    std::size_t deleted = 0;  // runs; their node runs and logs went with them
    std::size_t batches = 0;  // transactions that ran a delete
    bool complete = false;    // false when max_batches stopped the pass early
    std::string cutoff;       // runs finished before this (ISO 8601 UTC) were candidates
};

class run_pruner {
public:
    // `conn` must outlive the pruner and carry no open transaction while it is used.
    explicit run_pruner(pqxx::connection& conn) : conn_(conn) {}
    ~run_pruner(); // releases the lock if still held
    run_pruner(const run_pruner&) = delete;
    run_pruner& operator=(const run_pruner&) = delete;

    // pg_try_advisory_lock on the connection's session: false when another session holds it.
    bool try_lock();
    void unlock();
    bool locked() const noexcept { return locked_; }

    // now() - older_than on the database's clock, as ISO 8601 UTC; fixed once per pass so
    // every batch deletes against the same cutoff.
    std::string cutoff(std::chrono::seconds older_than);

    // One transaction: deletes at most `batch` finished runs that finished (or, lacking a
    // finish time, were created) before `cutoff_iso`, oldest first, skipping locked rows.
    // Returns how many went. Throws store_error{"invalid_input"} for a batch of 0.
    std::size_t delete_batch(const std::string& cutoff_iso, std::size_t batch);

private:
    pqxx::connection& conn_;
    bool locked_ = false;
};

// A whole pass on `conn`: takes the lock (or reports skipped), deletes batch after batch until
// one comes back short (or max_batches), releases the lock.
prune_report prune_runs(pqxx::connection& conn, const prune_options& options);

// The advisory lock key every pruner takes ("SR_RETN").
inline constexpr long long retention_lock_key = 0x53525f5245544eLL;

} // namespace sr::host
