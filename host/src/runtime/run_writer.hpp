#pragma once
// Group commit of run progress. Workers hand over node results that must be durable, finished
// runs and parked runs; each lane stores, one transaction at a time, everything handed over to
// it since its last one, so under load many runs share a commit (and its fsync) instead of
// paying one each. A run always goes to the same lane (by a hash of its id), so its writes stay
// in order; several lanes keep more than one commit in flight, so a batch is not held up by the
// previous batch's fsync. Lanes lock disjoint sets of runs, so they cannot deadlock each other.
// One lane is the default: on 2 cores PostgreSQL's CPU is the limit and two lanes were slower.
// Every write is fenced by the lease: a run this host no longer holds is not touched and its
// callback gets false.
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "db/db_pool.hpp"

namespace sr::host {

// One node_runs row.
struct node_row {
    std::string run_id, node_path, plugin_id, operation_id, status; // status as node_runs.status
    boost::json::value input, output, route;                        // route: null or an array
    std::string error_code, error_message;
    uint32_t attempt = 1;
    std::string idempotency_key;
    int64_t started_ms = 0, finished_ms = 0, resume_at_ms = 0;
};

// One run_logs row.
struct run_log_row {
    std::string node_id;            // "" for lines about the whole run
    std::string level;              // debug | info | warn | error
    std::string message;
    boost::json::value data;        // null or an object of details
    int64_t at_ms = 0;              // Unix time; 0 = now
};

struct run_finish {
    std::string run_id;
    std::string status; // succeeded | failed | cancelled | incomplete
    std::string error_code, error_message, error_node;
    std::string correlation_id;
    std::vector<run_log_row> logs; // the whole log, in order, the run's own line last (run_log_lines)
};

// A run that only waits for a long suspend, handed back to the database until `until_ms`.
struct run_park {
    std::string run_id;
    int64_t until_ms = 0;
    std::string correlation_id;
    std::vector<run_log_row> logs; // plugin lines logged so far (they would be lost otherwise)
};

class run_writer : public std::enable_shared_from_this<run_writer> {
public:
    using done_fn = std::function<void(bool stored)>; // runs on a db_pool thread

    // Hold it in a shared_ptr: transactions in flight keep it alive. `lanes` (at least 1) is
    // how many transactions may be in flight at once.
    run_writer(db_pool& pool, std::string owner, std::function<void(const std::string&)> log_error = {},
               std::size_t lanes = 1);

    void commit_node(node_row row, done_fn done);
    void finish(run_finish run, std::vector<node_row> nodes, done_fn done);
    void park(run_park run, done_fn done);

private:
    struct batch {
        std::vector<node_row> nodes;
        std::vector<run_finish> finishes;
        std::vector<run_park> parks;
        std::vector<std::pair<std::string, done_fn>> callbacks; // by run id
        bool empty() const { return callbacks.empty(); }
    };

    struct lane {
        std::mutex mutex;
        batch pending;
        bool flushing = false;
    };

    void add(batch&& b); // b holds one run
    void flush(lane& l);
    static void store(pqxx::connection& conn, const std::string& owner, batch& b, std::vector<std::string>& owned);

    db_pool& pool_;
    std::string owner_;
    std::function<void(const std::string&)> log_error_;
    std::vector<std::unique_ptr<lane>> lanes_;
};

} // namespace sr::host
