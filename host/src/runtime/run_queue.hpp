#pragma once
// The run queue in PostgreSQL: a run is a row of `runs`. Producers (webhooks, schedules,
// pollers, the API) enqueue inside their own transaction, so an event is stored and its run
// queued atomically; hosts claim runs with FOR UPDATE SKIP LOCKED under a lease that a
// heartbeat renews, and a run whose host died is claimed again once its lease expires.
// Every function takes the caller's transaction and runs on a db_pool thread.
#include <cstdint>
#include <string>
#include <vector>

#include <boost/json/value.hpp>
#include <pqxx/transaction_base>

namespace sr::host {

struct new_run {
    std::string scenario_id;
    std::string version_id;      // "" = the scenario's current version
    std::string trigger_kind;    // manual | webhook | schedule | polling | api | retry
    std::string trigger_node_id; // "" = the version's trigger node
    boost::json::value trigger_data = boost::json::object();
    std::string correlation_id;  // "" = generated
    std::string idempotency_key; // "" = none
    std::string available_at;    // ISO 8601; "" = now
    // true: NOTIFY idle hosts at commit. Busy producers pass false and call queue_signal::queued
    // after their commit instead (see queue_signal.hpp for why).
    bool notify = true;
    // Non-empty: a run that would be queued now is stored already running, leased to this owner
    // for lease_ms, because the host storing it executes it at once (run_worker::handoff) and
    // no claim is needed. A run that is not due now or not queued (paused) is stored as usual.
    std::string lease_owner;
    int64_t lease_ms = 0;
};

struct enqueued_run {
    std::string run_id;
    bool created = true; // false: the idempotency key was used before; run_id is that first run
    std::string status;  // queued, running (leased to run.lease_owner), or pending while the
                         // scenario is paused with policy "queue"
    std::string version_id, correlation_id; // of a created run
};

// Queues a run of the scenario's current (or given) version and, unless run.notify is false,
// NOTIFYs idle hosts at commit.
// Throws store_error: not_found (no such scenario), conflict (no published version; paused
// with policy "reject"), invalid_input (a bad id or trigger kind).
enqueued_run enqueue_run(pqxx::transaction_base& tx, const new_run& run);

// The channel hosts LISTEN on; the payload is empty.
inline constexpr const char* run_queue_channel = "sr_runs";

// Continues a failed or incomplete run from where it stopped: it goes back to the queue, its
// succeeded nodes are replayed from their records and the rest runs again. `node_settings`
// ({"<node id>": settings}, or null) replaces those nodes' settings for this run only.
// Throws store_error: not_found, conflict (the run is not failed or incomplete).
void retry_run(pqxx::transaction_base& tx, const std::string& run_id, const boost::json::value& node_settings);

// Moves a paused scenario's pending runs to the queue (on resume).
std::size_t release_pending_runs(pqxx::transaction_base& tx, const std::string& scenario_id);

} // namespace sr::host
