#include "runtime/run_claims.hpp"

#include <unordered_map>

#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "db/prepared_sql.hpp"
#include "runtime/uuid_text.hpp"

namespace sr::host {

namespace json = boost::json;
using core::engine::node_result;

namespace {

json::value parse_or_null(const pqxx::field& f) {
    if (f.is_null()) return nullptr;
    return json::parse(f.c_str());
}

node_result stored_result(const pqxx::row& row) {
    // Columns: status, output, route, resume_at_ms
    json::value output = parse_or_null(row["output"]);
    if (row["status"].as<std::string>() == "waiting")
        return node_result::suspend(row["resume_at_ms"].as<int64_t>(), std::move(output));
    json::value route = parse_or_null(row["route"]);
    if (!route.is_array()) return node_result::success(std::move(output));
    std::vector<std::string> handles;
    for (const auto& h : route.as_array())
        if (h.is_string()) handles.emplace_back(h.as_string());
    return node_result::success(std::move(output), std::move(handles));
}

// Succeeded and suspended node records of the claimed runs, the newest attempt of each node.
void load_journals(pqxx::transaction_base& tx, std::vector<claimed_run>& runs) {
    std::unordered_map<std::string, claimed_run*> by_id;
    std::vector<std::string> ids;
    for (auto& r : runs) {
        by_id[r.run_id] = &r;
        ids.push_back(r.run_id);
    }
    // One index probe per run (LATERAL; OFFSET 0 keeps the planner from flattening it into a
    // join): with `run_id = ANY(...)` the planner, on a node_runs table grown faster than
    // autovacuum analyses it, chose a scan of the whole table for every claim of 128 runs, most
    // of which have no node rows at all (they never started).
    static const prepared_sql select_journals{
        "SELECT DISTINCT ON (n.run_id, n.node_id) n.run_id::text, n.node_id, n.attempt, n.status, n.output::text, "
        "  n.route::text, (extract(epoch FROM n.resume_at) * 1000)::bigint AS resume_at_ms "
        "FROM unnest($1::uuid[]) AS ids(id) "
        "CROSS JOIN LATERAL (SELECT * FROM node_runs WHERE run_id = ids.id OFFSET 0) n "
        "ORDER BY n.run_id, n.node_id, n.attempt DESC"};
    auto rows = select_journals.exec(tx, uuid_array_literal(ids));
    for (const auto& row : rows) {
        auto status = row["status"].as<std::string>();
        if (status != "succeeded" && status != "waiting") continue; // a failed node runs again
        claimed_run& run = *by_id.at(row[0].as<std::string>());
        run.journal.push_back({row["node_id"].as<std::string>(), row["attempt"].as<uint32_t>(), stored_result(row)});
    }
}

} // namespace

std::vector<claimed_run> claim_runs(pqxx::transaction_base& tx, const std::string& owner, int64_t lease_ms,
                                    int limit) {
    auto rows = tx.exec_params(
        // One CTE per kind of claimable run, each served by its partial index (FOR UPDATE is not
        // allowed on a UNION itself). Takeovers and due waits come first, then the queue; rows
        // are locked only as the final LIMIT pulls them.
        "WITH taken_over AS (SELECT id FROM runs WHERE status = 'running' AND lease_expires_at < now() "
        "    ORDER BY lease_expires_at LIMIT $2 FOR UPDATE SKIP LOCKED), "
        "  due AS (SELECT id FROM runs WHERE status = 'waiting' AND available_at <= now() "
        "    ORDER BY available_at LIMIT $2 FOR UPDATE SKIP LOCKED), "
        "  queued AS (SELECT id FROM runs WHERE status = 'queued' AND available_at <= now() "
        "    ORDER BY available_at LIMIT $2 FOR UPDATE SKIP LOCKED), "
        "  chosen AS (SELECT id FROM taken_over UNION ALL SELECT id FROM due UNION ALL SELECT id FROM queued "
        "    LIMIT $2) "
        "UPDATE runs r SET status = 'running', lease_owner = $1, "
        "  lease_expires_at = now() + $3 * interval '1 millisecond', started_at = coalesce(r.started_at, now()), "
        "  attempt = r.attempt + CASE WHEN r.status = 'running' THEN 1 ELSE 0 END "
        "FROM chosen, scenarios s WHERE r.id = chosen.id AND s.id = r.scenario_id "
        "RETURNING r.id::text, r.scenario_id::text, r.version_id::text, s.organization_id::text, r.trigger_kind, "
        "  r.correlation_id, r.trigger_data::text, r.node_overrides::text, r.attempt, "
        "  r.cancel_requested_at IS NOT NULL AS cancel_requested",
        owner, limit, lease_ms);
    std::vector<claimed_run> runs;
    runs.reserve(rows.size());
    for (const auto& row : rows) {
        claimed_run c;
        c.run_id = row[0].as<std::string>();
        c.scenario_id = row[1].as<std::string>();
        c.version_id = row[2].as<std::string>();
        c.organization_id = row[3].as<std::string>();
        c.trigger_kind = row[4].as<std::string>();
        c.correlation_id = row[5].as<std::string>();
        c.trigger_data = parse_or_null(row[6]);
        c.node_overrides = parse_or_null(row[7]);
        c.attempt = row[8].as<uint32_t>();
        c.cancel_requested = row[9].as<bool>();
        runs.push_back(std::move(c));
    }
    if (!runs.empty()) {
        prefer_index_plans(tx);
        load_journals(tx, runs);
    }
    return runs;
}

lease_report renew_leases(pqxx::transaction_base& tx, const std::string& owner, int64_t lease_ms,
                          const std::vector<std::string>& active) {
    // Rows are locked in id order, as the run writer locks them: two transactions taking the
    // same runs in different orders deadlock, and a writer's batch that dies of it loses its
    // commits (its runs continue from their previous ones, repeating calls).
    //
    // Stray leases (this host holds them but runs nothing under them: a claim whose runs never
    // started, a run given up after a failed commit) are expired at once, so any host takes the
    // runs over as it takes over a dead host's, with their attempt counted. A run claimed a
    // moment ago may not be in `active` yet: only leases not granted or renewed for half a
    // lease are stray.
    auto stray = tx.exec_params("WITH stray AS (SELECT id FROM runs WHERE lease_owner = $1 AND status = 'running' "
                                "    AND NOT (id = ANY($2::uuid[])) "
                                "    AND lease_expires_at < now() + $3 * interval '1 millisecond' "
                                "    ORDER BY id FOR UPDATE) "
                                "UPDATE runs r SET lease_expires_at = now() FROM stray WHERE r.id = stray.id",
                                owner, uuid_array_literal(active), lease_ms / 2);
    if (stray.affected_rows() > 0) tx.exec("NOTIFY sr_runs");
    auto rows = tx.exec_params("WITH mine AS (SELECT id FROM runs WHERE lease_owner = $1 AND status = 'running' "
                               "    AND id = ANY($3::uuid[]) ORDER BY id FOR UPDATE) "
                               "UPDATE runs r SET lease_expires_at = now() + $2 * interval '1 millisecond' "
                               "FROM mine WHERE r.id = mine.id "
                               "RETURNING r.id::text, r.cancel_requested_at IS NOT NULL",
                               owner, lease_ms, uuid_array_literal(active));
    lease_report report;
    for (const auto& row : rows) {
        report.held.push_back(row[0].as<std::string>());
        if (row[1].as<bool>()) report.cancel_requested.push_back(row[0].as<std::string>());
    }
    return report;
}

void release_runs(pqxx::transaction_base& tx, const std::string& owner, const std::vector<std::string>& run_ids) {
    if (run_ids.empty()) return;
    tx.exec_params("UPDATE runs SET status = 'queued', available_at = now(), lease_owner = NULL, "
                   "  lease_expires_at = NULL "
                   "WHERE id = ANY($1::uuid[]) AND lease_owner = $2 AND status = 'running'",
                   uuid_array_literal(run_ids), owner);
    tx.exec("NOTIFY sr_runs");
}

std::vector<std::pair<std::string, json::value>> load_versions(pqxx::transaction_base& tx,
                                                               const std::vector<std::string>& version_ids) {
    std::vector<std::pair<std::string, json::value>> out;
    if (version_ids.empty()) return out;
    auto rows = tx.exec_params("SELECT id::text, definition::text FROM scenario_versions WHERE id = ANY($1::uuid[])",
                               uuid_array_literal(version_ids));
    for (const auto& row : rows) out.emplace_back(row[0].as<std::string>(), json::parse(row[1].c_str()));
    return out;
}

} // namespace sr::host
