#pragma once
// Runs by status and the queue depth, read from PostgreSQL on a db_pool thread and cached for
// a short time, so scraping /metrics often (or from several scrapers) costs at most one pair
// of queries per `ttl`. Concurrent requests for stale figures share one query.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "db/db_pool.hpp"

namespace sr::host {

struct run_stats {
    std::map<std::string, std::int64_t> by_status; // every status runs.status allows, 0 when none
    std::int64_t queue_depth = 0;      // queued and due now (available_at <= now())
    double oldest_due_age_s = 0;       // how long the oldest due queued run has waited
    bool database_ok = false;          // false: the last query failed; figures are the last good ones
};

// The statuses of runs.status (schema/0001_initial.sql), in lifecycle order.
const std::vector<std::string>& run_statuses();

// The queries behind run_stats, on a caller's connection (a db_pool thread).
run_stats query_run_stats(pqxx::connection& conn);

class run_stats_cache {
public:
    // `pool` must outlive every get() in flight.
    explicit run_stats_cache(db_pool& pool, std::chrono::milliseconds ttl = std::chrono::seconds(2));

    // `done` gets the figures: at once (on the calling thread) when they are fresh, otherwise
    // on a db_pool thread after the query. Thread-safe.
    void get(std::function<void(const run_stats&)> done);

private:
    struct state;
    db_pool& pool_;
    std::shared_ptr<state> state_; // shared with the queries in flight
};

} // namespace sr::host
