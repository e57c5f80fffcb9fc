#pragma once
// One webhook delivery, from request to response, without HTTP plumbing: find the active
// endpoint, check the size, verify the signature, answer a provider handshake, parse the body,
// dedup by idempotency key, and queue the run in the same transaction as the delivery row.
// Nothing is stored unless the delivery is accepted. Runs on a db_pool thread (it blocks on
// PostgreSQL); the response is ready to send once it returns (the transaction has committed).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <functional>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <pqxx/connection>
#include <pqxx/dbtransaction>

#include "http/http_message.hpp"
#include "runtime/run_worker.hpp"
#include "security/vault.hpp"
#include "webhooks/webhook_metrics.hpp"

namespace sr::host {

struct webhook_ingest_options {
    std::size_t body_limit = 1024 * 1024; // larger bodies get 413 (the server's own limit also applies)
    std::int64_t replay_window_s = 300;   // accepted |now - signed timestamp|
    std::size_t max_idempotency_key = 255;
    // false: the run is queued without NOTIFY and the caller signals after the commit
    // (queue_signal), so ingest commits are not serialized on PostgreSQL's NOTIFY lock.
    bool notify_in_transaction = true;
    // This host's worker: a new run is handed to it (stored running under its lease, see
    // run_handoff) while it has room. Null: runs are queued for any host to claim.
    run_worker* local_worker = nullptr;
};

struct ingest_result {
    http_response response;
    std::string run_id;               // the run started or found; "" when none
    bool created = false;             // a new run was queued by this delivery
    std::string response_mode = "async"; // of the endpoint: sync asks the route to wait for the run
    int response_timeout_ms = 0;
    std::vector<std::string> respond_nodes; // sync endpoints: the version's system.respond node ids
    // Set when the run goes to this host's worker: start() it once the transaction committed.
    std::shared_ptr<run_handoff> handoff;
};

// Called after the run is queued and before the transaction commits (so a waiter registered
// here cannot miss the run's end), with the result so far.
using before_commit_fn = std::function<void(const ingest_result&)>;

// Responses: 202 {"run_id", "status_url"} for a new run; 200 {"run_id", "status_url",
// "duplicate": true} for a repeated idempotency key or provider event id; 200 {"challenge"}
// for a Monday handshake; problems: 404 webhook_not_found, 413 payload_too_large,
// 401 webhook_verification_failed (with "reason"), 400 invalid_body / invalid_idempotency_key,
// 409 scenario_not_runnable (paused with policy reject, nothing published). Database failures
// throw (the route answers 503/500). For sync endpoints the result lists the respond nodes.
ingest_result ingest_webhook(pqxx::connection& conn, const vault& keys, webhook_metrics& metrics,
                             const http_request& request, std::string_view public_id,
                             const webhook_ingest_options& options, const before_commit_fn& before_commit = {});

// The same checks and writes inside the caller's transaction, which the caller commits (and
// then counts the delivery accepted) when the result says `created`, so several deliveries can
// share one commit. A refused or duplicate delivery leaves nothing written in `tx`. Database
// errors throw and leave `tx` unusable.
ingest_result ingest_in_transaction(pqxx::dbtransaction& tx, const vault& keys, webhook_metrics& metrics,
                                    const http_request& request, std::string_view public_id,
                                    const webhook_ingest_options& options, const before_commit_fn& before_commit = {});

// A problem response (problem.hpp) with extra members, e.g. {"reason": "signature_mismatch"}.
http_response problem_with(int status, std::string_view code, std::string_view title, std::string_view detail,
                           const boost::json::object& extra);

// "/api/v1/runs/<id>"
std::string run_status_url(std::string_view run_id);

} // namespace sr::host
