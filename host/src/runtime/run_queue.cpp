#include "runtime/run_queue.hpp"

#include <boost/json/serialize.hpp>
#include <pqxx/pqxx>

#include "db/prepared_sql.hpp"
#include "runtime/uuid_text.hpp"
#include "store/store_error.hpp"

namespace sr::host {

namespace {

bool valid_trigger_kind(const std::string& kind) {
    for (const char* k : {"manual", "webhook", "schedule", "polling", "api", "retry"})
        if (kind == k) return true;
    return false;
}

struct scenario_state {
    std::string status, pause_policy, current_version;
};

scenario_state read_scenario_state(pqxx::transaction_base& tx, const std::string& scenario_id) {
    // No row lock: a run queued while a pause or publish commits is ordered before it (it read
    // the state before). FOR SHARE here made every ingest transaction of one scenario share a
    // MultiXact lock on its row and made pause and publish wait behind the ingest traffic.
    static const prepared_sql select_state{"SELECT status, pause_policy, coalesce(current_version_id::text, '') "
                                           "FROM scenarios WHERE id = $1"};
    auto rows = select_state.exec(tx, scenario_id);
    if (rows.empty()) throw store_error("not_found", "scenario " + scenario_id + " does not exist");
    return {rows[0][0].as<std::string>(), rows[0][1].as<std::string>(), rows[0][2].as<std::string>()};
}

std::string version_to_run(pqxx::transaction_base& tx, const new_run& run, const scenario_state& s) {
    if (run.version_id.empty()) {
        if (s.current_version.empty())
            throw store_error("conflict", "scenario " + run.scenario_id + " has no published version");
        return s.current_version;
    }
    if (!is_uuid_text(run.version_id)) throw store_error("invalid_input", "version id is not a uuid");
    auto rows = tx.exec_params("SELECT 1 FROM scenario_versions WHERE id = $1 AND scenario_id = $2",
                               run.version_id, run.scenario_id);
    if (rows.empty()) throw store_error("not_found", "version " + run.version_id + " is not a version of this scenario");
    return run.version_id;
}

std::string initial_status(const new_run& run, const scenario_state& s) {
    if (s.status != "paused") return "queued";
    if (s.pause_policy == "reject")
        throw store_error("conflict", "scenario " + run.scenario_id + " is paused and refuses new runs");
    return "pending";
}

} // namespace

enqueued_run enqueue_run(pqxx::transaction_base& tx, const new_run& run) {
    if (!is_uuid_text(run.scenario_id)) throw store_error("not_found", "scenario " + run.scenario_id + " does not exist");
    if (!valid_trigger_kind(run.trigger_kind))
        throw store_error("invalid_input", "unknown trigger kind '" + run.trigger_kind + "'");
    auto state = read_scenario_state(tx, run.scenario_id);
    auto version = version_to_run(tx, run, state);
    auto status = initial_status(run, state);
    // Stored running under the caller's lease: one write instead of an insert and a claim.
    const bool leased = status == "queued" && run.available_at.empty() && !run.lease_owner.empty();
    if (leased) status = "running";
    static const prepared_sql insert_run{
        "INSERT INTO runs (scenario_id, version_id, status, trigger_kind, trigger_node_id, trigger_data, "
        "  correlation_id, idempotency_key, available_at, lease_owner, lease_expires_at, started_at) "
        "VALUES ($1, $2, $3, $4, nullif($5, ''), $6::jsonb, coalesce(nullif($7, ''), gen_random_uuid()::text), "
        "  nullif($8, ''), coalesce(nullif($9, '')::timestamptz, now()), nullif($10, ''), "
        "  CASE WHEN $10 <> '' THEN now() + $11 * interval '1 millisecond' END, CASE WHEN $10 <> '' THEN now() END) "
        "ON CONFLICT (scenario_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING "
        "RETURNING id::text, correlation_id"};
    auto inserted = insert_run.exec(tx,
        run.scenario_id, version, status, run.trigger_kind, run.trigger_node_id,
        boost::json::serialize(run.trigger_data), run.correlation_id, run.idempotency_key, run.available_at,
        leased ? run.lease_owner : std::string(), run.lease_ms);
    if (inserted.empty()) {
        auto first = tx.exec_params("SELECT id::text, status FROM runs WHERE scenario_id = $1 AND idempotency_key = $2",
                                    run.scenario_id, run.idempotency_key);
        return {first[0][0].as<std::string>(), false, first[0][1].as<std::string>(), {}, {}};
    }
    // scenarios.run_count is not bumped here: that UPDATE would serialise every producer of one
    // scenario on its row. Counts come from `runs` (indexed by scenario).
    if (status == "queued" && run.notify) tx.exec(std::string("NOTIFY ") + run_queue_channel);
    return {inserted[0][0].as<std::string>(), true, status, version, inserted[0][1].as<std::string>()};
}

void retry_run(pqxx::transaction_base& tx, const std::string& run_id, const boost::json::value& node_settings) {
    if (!is_uuid_text(run_id)) throw store_error("not_found", "run " + run_id + " does not exist");
    if (!node_settings.is_null() && !node_settings.is_object())
        throw store_error("invalid_input", "node settings must be an object of node id to settings");
    auto current = tx.exec_params("SELECT status FROM runs WHERE id = $1 FOR UPDATE", run_id);
    if (current.empty()) throw store_error("not_found", "run " + run_id + " does not exist");
    auto status = current[0][0].as<std::string>();
    if (status != "failed" && status != "incomplete")
        throw store_error("conflict", "run " + run_id + " is " + status + "; only failed or incomplete runs are retried");
    tx.exec_params("UPDATE runs SET status = 'queued', available_at = now(), finished_at = NULL, duration_ms = NULL, "
                   "  error_code = NULL, error_message = NULL, error_node_id = NULL, cancel_requested_at = NULL, "
                   "  node_overrides = CASE WHEN $2 = 'null' THEN node_overrides ELSE $2::jsonb END "
                   "WHERE id = $1",
                   run_id, boost::json::serialize(node_settings));
    tx.exec(std::string("NOTIFY ") + run_queue_channel);
}

std::size_t release_pending_runs(pqxx::transaction_base& tx, const std::string& scenario_id) {
    auto r = tx.exec_params("UPDATE runs SET status = 'queued', available_at = now() "
                            "WHERE scenario_id = $1 AND status = 'pending'",
                            scenario_id);
    if (r.affected_rows() > 0) tx.exec(std::string("NOTIFY ") + run_queue_channel);
    return r.affected_rows();
}

} // namespace sr::host
