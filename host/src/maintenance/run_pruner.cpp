#include "maintenance/run_pruner.hpp"

#include <algorithm>

#include <pqxx/pqxx>

#include "store/store_error.hpp"

namespace sr::host {

run_pruner::~run_pruner() {
    if (!locked_) return;
    try {
        unlock();
    } catch (const std::exception&) {
        // A broken connection has lost the lock with its session anyway.
    }
}

bool run_pruner::try_lock() {
    if (locked_) return true;
    pqxx::nontransaction tx(conn_);
    locked_ = tx.exec_params1("SELECT pg_try_advisory_lock($1)", retention_lock_key)[0].as<bool>();
    return locked_;
}

void run_pruner::unlock() {
    if (!locked_) return;
    locked_ = false;
    pqxx::nontransaction tx(conn_);
    tx.exec_params("SELECT pg_advisory_unlock($1)", retention_lock_key);
}

std::string run_pruner::cutoff(std::chrono::seconds older_than) {
    pqxx::nontransaction tx(conn_);
    return tx.exec_params1("SELECT to_char((now() - make_interval(secs => $1)) AT TIME ZONE 'UTC',"
                           " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
                           static_cast<double>(older_than.count()))[0]
        .as<std::string>();
}

std::size_t run_pruner::delete_batch(const std::string& cutoff_iso, std::size_t batch) {
    if (batch == 0) throw store_error("invalid_input", "the batch size must be at least 1");
    batch = std::min<std::size_t>(batch, 100'000);
    pqxx::work tx(conn_);
    // The status list and the age expression match runs_finished_idx (0004_retention) exactly,
    // so the oldest candidates come from that partial index instead of a scan. Another host's
    // lock on a run (a retry moving it back to queued) makes us skip it, never wait.
    auto r = tx.exec_params(
        "DELETE FROM runs WHERE id IN ("
        " SELECT id FROM runs"
        " WHERE status IN ('succeeded', 'failed', 'cancelled', 'incomplete')"
        " AND coalesce(finished_at, created_at) < $1::timestamptz"
        " ORDER BY coalesce(finished_at, created_at) LIMIT $2 FOR UPDATE SKIP LOCKED)",
        cutoff_iso, static_cast<int64_t>(batch));
    tx.commit();
    return static_cast<std::size_t>(r.affected_rows());
}

prune_report prune_runs(pqxx::connection& conn, const prune_options& options) {
    prune_report report;
    run_pruner pruner(conn);
    if (!pruner.try_lock()) {
        report.skipped = true;
        return report;
    }
    report.cutoff = pruner.cutoff(options.older_than);
    const std::size_t batch = std::clamp<std::size_t>(options.batch, 1, 100'000);
    for (;;) {
        if (options.max_batches != 0 && report.batches >= options.max_batches) break;
        const std::size_t n = pruner.delete_batch(report.cutoff, batch);
        ++report.batches;
        report.deleted += n;
        if (n < batch) {
            report.complete = true;
            break;
        }
    }
    pruner.unlock();
    return report;
}

} // namespace sr::host
