#include "observability/run_stats_cache.hpp"

#include <mutex>
#include <vector>

#include <pqxx/pqxx>

namespace sr::host {

using clock = std::chrono::steady_clock;

const std::vector<std::string>& run_statuses() {
    static const std::vector<std::string> statuses{"pending", "queued",    "running",   "waiting",
                                                   "succeeded", "failed", "cancelled", "incomplete"};
    return statuses;
}

run_stats query_run_stats(pqxx::connection& conn) {
    run_stats out;
    for (const auto& s : run_statuses()) out.by_status[s] = 0;
    pqxx::read_transaction tx(conn);
    // A scrape must never hold a pool thread for long, even on a huge runs table.
    tx.exec("SET LOCAL statement_timeout = 5000");
    for (const auto& row : tx.exec("SELECT status, count(*) FROM runs GROUP BY status"))
        out.by_status[row[0].as<std::string>()] = row[1].as<std::int64_t>();
    // runs_queued_idx (available_at WHERE status = 'queued') serves this one.
    auto due = tx.exec1("SELECT count(*), coalesce(extract(epoch FROM now() - min(available_at)), 0)::float8 "
                        "FROM runs WHERE status = 'queued' AND available_at <= now()");
    out.queue_depth = due[0].as<std::int64_t>();
    out.oldest_due_age_s = due[1].as<double>();
    out.database_ok = true;
    return out;
}

struct run_stats_cache::state {
    explicit state(std::chrono::milliseconds t) : ttl(t) {}

    // Stores the answer (or the failure) and hands it to everyone waiting.
    void complete(const run_stats* fresh) {
        std::vector<std::function<void(const run_stats&)>> waiting;
        run_stats copy;
        {
            std::lock_guard lock(mutex);
            if (fresh) stats = *fresh;
            else stats.database_ok = false; // keep the last good figures, say they are stale
            have = true;
            at = clock::now();
            in_flight = false;
            waiting.swap(waiters);
            copy = stats;
        }
        for (auto& w : waiting) w(copy);
    }

    const std::chrono::milliseconds ttl;
    std::mutex mutex;
    run_stats stats;
    bool have = false;
    bool in_flight = false;
    clock::time_point at{};
    std::vector<std::function<void(const run_stats&)>> waiters;
};

run_stats_cache::run_stats_cache(db_pool& pool, std::chrono::milliseconds ttl)
    : pool_(pool), state_(std::make_shared<state>(ttl)) {
    for (const auto& s : run_statuses()) state_->stats.by_status[s] = 0;
}

void run_stats_cache::get(std::function<void(const run_stats&)> done) {
    auto s = state_;
    std::unique_lock lock(s->mutex);
    if (s->have && clock::now() - s->at < s->ttl) {
        run_stats copy = s->stats;
        lock.unlock();
        done(copy);
        return;
    }
    s->waiters.push_back(std::move(done));
    if (s->in_flight) return;
    s->in_flight = true;
    lock.unlock();
    pool_.post(
        [s](pqxx::connection& conn) {
            auto fresh = query_run_stats(conn);
            s->complete(&fresh);
        },
        [s](std::exception_ptr) { s->complete(nullptr); });
}

} // namespace sr::host
