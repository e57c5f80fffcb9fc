#pragma once
// The HTTP face of webhooks: POST /webhooks/{endpoint} (deliveries) and POST /trigger/{scenario}
// (a manual run, bearer-token authenticated). Handlers are asynchronous: the database work runs
// on db_pool threads, never on an I/O thread, and the answer is sent after the commit.
#include <chrono>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "db/db_pool.hpp"
#include "http/router.hpp"
#include "runtime/queue_signal.hpp"
#include "runtime/run_waiters.hpp"
#include "security/vault.hpp"
#include "webhooks/webhook_ingest.hpp"
#include "webhooks/webhook_metrics.hpp"

namespace sr::host {

// How a run ended, as a synchronous webhook answers it.
struct finished_run {
    std::string status;          // succeeded | failed | cancelled | incomplete
    boost::json::value response; // the "respond" node's output {"status", "headers", "body"}, or null
    std::string error_code, error_message; // when failed
};
// The sync answer's view of a finished run: the output of the last respond node (of
// `respond_nodes`) that succeeded, in the order the run took.
finished_run to_finished_run(const run_outcome& outcome, const std::vector<std::string>& respond_nodes);

struct webhook_context {
    db_pool& pool;
    const vault& keys;
    webhook_metrics& metrics;
    webhook_ingest_options options{};
    // Sync endpoints wait for their run here (the workers of this host notify it); null, they
    // answer 202 like async ones. A run finished by another host times out into 202 too.
    run_waiters* waiters = nullptr;
    // Unexpected failures (database down, a secret that does not open); never given secrets.
    std::function<void(std::string_view)> log_error{};
    // Wakes workers after a delivery's commit when options.notify_in_transaction is false.
    queue_signal* signal = nullptr;
};

// Adds the routes. `ctx` (and what it refers to) must outlive the router and every request in
// flight.
void add_webhook_routes(router& routes, webhook_context& ctx);

// The answer to a delivery whose storing failed (503 when the database is unavailable, else
// 500); the cause goes to ctx.log_error, never to the client.
http_response webhook_failure_response(std::exception_ptr error, const webhook_context& ctx);

// 202 {"run_id", "status_url"}: the run is stored and goes on (a sync endpoint's run that did
// not end in time).
http_response accepted_answer(const std::string& run_id);

// The answer of a sync endpoint once its run ended: the respond node's status, headers and
// body; 500 run_failed with the run id and error when it failed; 200 {"run_id", "status"}
// when it ended without a respond node.
http_response sync_answer(const std::string& run_id, const finished_run& run);

} // namespace sr::host
