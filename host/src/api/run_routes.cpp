// Runs of the caller's organization: a filtered, cursor-paginated list; one run with its node
// runs and logs; cancel (at once when not executing, requested when running); retry of a
// failed or incomplete run (succeeded nodes replay from node_runs, optional settings edits).
// Also pause and resume of a scenario, which hold and release its pending runs.
#include <optional>
#include <string>

#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "api/api_call.hpp"
#include "api/api_error.hpp"
#include "api/api_routes.hpp"
#include "api/request_json.hpp"
#include "api/scenario_lookup.hpp"
#include "runtime/run_queue.hpp"
#include "runtime/uuid_text.hpp"
#include "store/row_json.hpp"
#include "store/run_queries.hpp"
#include "store/scenario_repository.hpp"

namespace sr::host {
namespace {

namespace json = boost::json;

api_error no_run(const std::string& id) {
    return api_error(404, "not_found", "no run '" + id + "'");
}

// The run's status, row-locked, scoped to the organization; 404 when absent or foreign.
std::string lock_run_status(api_call& call) {
    const auto& id = call.param("run");
    if (!is_uuid_text(id)) throw no_run(id);
    auto rows = call.tx.exec_params("SELECT r.status FROM runs r JOIN scenarios s ON s.id = r.scenario_id "
                                    "WHERE r.id = $1::uuid AND s.organization_id = $2::uuid FOR UPDATE OF r",
                                    id, call.who.org_id);
    if (rows.empty()) throw no_run(id);
    return rows[0][0].as<std::string>();
}

json::object run_state(api_call& call) {
    auto row = call.tx.exec_params1("SELECT id::text, scenario_id::text, status, cancel_requested_at IS NOT NULL "
                                    "FROM runs WHERE id = $1::uuid",
                                    call.param("run"));
    return json::object{{"id", row[0].as<std::string>()},
                        {"scenario_id", row[1].as<std::string>()},
                        {"status", row[2].as<std::string>()},
                        {"cancel_requested", row[3].as<bool>()}};
}

http_response list_runs_route(api_call& call) {
    run_filter filter;
    filter.scenario_id = query_param(call.request, "scenario_id").value_or("");
    filter.status = query_param(call.request, "status").value_or("");
    filter.from = query_param(call.request, "from").value_or("");
    filter.to = query_param(call.request, "to").value_or("");
    filter.cursor = query_param(call.request, "cursor").value_or("");
    filter.limit = static_cast<int>(integer_query(call.request, "limit", 1, max_page_size).value_or(default_page_size));
    auto page = list_runs(call.tx, call.who.org_id, filter);
    json::value next = nullptr;
    if (!page.next_cursor.empty()) next = page.next_cursor;
    return json_response(200, json::object{{"runs", std::move(page.runs)}, {"next_cursor", next}});
}

http_response get_run_route(api_call& call) {
    const auto& id = call.param("run");
    if (!is_uuid_text(id)) throw no_run(id);
    auto run = find_run(call.tx, call.who.org_id, id);
    if (!run) throw no_run(id);
    return json_response(200, *run);
}

http_response cancel(api_call& call) {
    auto status = lock_run_status(call);
    if (status == "queued" || status == "pending" || status == "waiting") {
        call.tx.exec_params("UPDATE runs SET status = 'cancelled', finished_at = now(), lease_owner = NULL, "
                            "lease_expires_at = NULL, error_code = 'cancelled', error_message = 'cancelled by a user' "
                            "WHERE id = $1::uuid",
                            call.param("run"));
    } else if (status == "running") {
        // The host executing it sees the request at its next lease renewal and stops there.
        call.tx.exec_params("UPDATE runs SET cancel_requested_at = coalesce(cancel_requested_at, now()) "
                            "WHERE id = $1::uuid",
                            call.param("run"));
    } else {
        throw api_error(409, "conflict", "the run has already finished (" + status + ")", {{"status", status}});
    }
    call.audit("run.cancel", "run", call.param("run"), json::object{{"previous_status", status}});
    return json_response(202, run_state(call));
}

// The optional {"settings": {"<node id>": {...}}} of a retry; null when absent.
json::value retry_overrides(const http_request& request) {
    auto body = body_object(request, true);
    for (const auto& [key, value] : body)
        if (key != "settings")
            throw api_error(400, "invalid_input", "unknown field '" + std::string(key) + "'", {{"field", key}});
    auto* settings = body.if_contains("settings");
    if (!settings || settings->is_null()) return nullptr;
    if (!settings->is_object()) throw invalid_field("settings", "an object of node id to settings object");
    for (const auto& [node_id, s] : settings->as_object())
        if (!s.is_object()) throw invalid_field("settings." + std::string(node_id), "an object");
    return *settings;
}

http_response retry(api_call& call) {
    auto overrides = retry_overrides(call.request);
    auto status = lock_run_status(call);
    if (status != "failed" && status != "incomplete")
        throw api_error(409, "conflict", "only a failed or incomplete run can be retried (it is " + status + ")",
                        {{"status", status}});
    auto overrides_text = overrides.is_null() ? std::optional<std::string>() : json::serialize(overrides);
    call.tx.exec_params("UPDATE runs SET status = 'queued', available_at = now(), finished_at = NULL, "
                        "duration_ms = NULL, error_code = NULL, error_message = NULL, error_node_id = NULL, "
                        "cancel_requested_at = NULL, lease_owner = NULL, lease_expires_at = NULL, "
                        "node_overrides = $2::jsonb WHERE id = $1::uuid",
                        call.param("run"), overrides_text);
    call.tx.exec(std::string("NOTIFY ") + run_queue_channel);
    json::array nodes;
    if (overrides.is_object())
        for (const auto& [node_id, s] : overrides.as_object()) nodes.emplace_back(node_id);
    call.audit("run.retry", "run", call.param("run"),
               json::object{{"previous_status", status}, {"overridden_nodes", std::move(nodes)}});
    return json_response(202, run_state(call));
}

http_response pause(api_call& call) {
    auto row = require_scenario(call);
    call.tx.exec_params("UPDATE scenarios SET status = 'paused', updated_at = now() WHERE id = $1::uuid", row.id);
    call.audit("scenario.pause", "scenario", row.id, json::object{{"previous_status", row.status}});
    return json_response(200, to_json(require_scenario(call), false));
}

http_response resume(api_call& call) {
    auto row = require_scenario(call);
    if (row.current_version_id.empty())
        throw api_error(409, "conflict", "the scenario has no published version to resume");
    call.tx.exec_params("UPDATE scenarios SET status = 'active', updated_at = now() WHERE id = $1::uuid", row.id);
    auto released = release_pending_runs(call.tx, row.id);
    call.audit("scenario.resume", "scenario", row.id,
               json::object{{"previous_status", row.status}, {"released_runs", released}});
    auto out = to_json(require_scenario(call), false);
    out["released_runs"] = released;
    return json_response(200, out);
}

} // namespace

void add_run_routes(router& routes, api_context& ctx) {
    routes.add_async("GET", "/api/v1/runs", authorized(ctx, permission::scenario_read, list_runs_route));
    routes.add_async("GET", "/api/v1/runs/{run}", authorized(ctx, permission::scenario_read, get_run_route));
    routes.add_async("POST", "/api/v1/runs/{run}/cancel", authorized(ctx, permission::scenario_execute, cancel));
    routes.add_async("POST", "/api/v1/runs/{run}/retry", authorized(ctx, permission::scenario_execute, retry));
    routes.add_async("POST", "/api/v1/scenarios/{scenario}/pause",
                     authorized(ctx, permission::scenario_update, pause));
    routes.add_async("POST", "/api/v1/scenarios/{scenario}/resume",
                     authorized(ctx, permission::scenario_update, resume));
}

} // namespace sr::host
