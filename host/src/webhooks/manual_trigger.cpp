#include "webhooks/manual_trigger.hpp"

#include <boost/json/parse.hpp>
#include <pqxx/pqxx>

#include "auth/audit_log.hpp"
#include "auth/authenticator.hpp"
#include "auth/permissions.hpp"
#include "http/problem.hpp"
#include "services/jsonb_text.hpp"
#include "runtime/run_queue.hpp"
#include "runtime/uuid_text.hpp"
#include "store/store_error.hpp"
#include "webhooks/webhook_ingest.hpp"
#include "webhooks/webhook_payload.hpp"

namespace sr::host {
namespace {

http_response unauthorized() {
    auto res = problem_response(401, "unauthorized", "Unauthorized", "a valid bearer token is required");
    res.set_header("WWW-Authenticate", "Bearer");
    return res;
}

http_response not_found() {
    return problem_response(404, "scenario_not_found", "Scenario not found", "no such scenario");
}

} // namespace

http_response trigger_manual_run(pqxx::connection& conn, const http_request& request, std::string_view scenario_id) {
    auto token = bearer_token(request.header("authorization"));
    if (!token) return unauthorized();

    boost::json::value input = nullptr;
    if (!request.body.empty()) {
        boost::system::error_code ec;
        input = boost::json::parse(request.body, ec);
        if (ec) return problem_response(400, "invalid_body", "Invalid body", "the body is not valid JSON: " + ec.message());
        if (holds_nul(input))
            return problem_response(400, "invalid_body", "Invalid body",
                                    "the body holds the character U+0000, which cannot be stored");
    }
    const std::string* key = request.header("idempotency-key");
    if (key && (key->empty() || key->size() > 255))
        return problem_response(400, "invalid_idempotency_key", "Invalid Idempotency-Key",
                                "Idempotency-Key must be 1 to 255 bytes");

    pqxx::work tx(conn);
    auto who = authenticate(tx, *token);
    if (!who) return unauthorized();
    if (!allowed(who->role, permission::scenario_execute))
        return problem_response(403, "forbidden", "Forbidden", "this token's role may not run scenarios");
    if (!is_uuid_text(scenario_id)) return not_found();
    auto owned = tx.exec_params("SELECT 1 FROM scenarios WHERE id = $1 AND organization_id = $2",
                                std::string(scenario_id), who->org_id);
    if (owned.empty()) return not_found();

    new_run run;
    run.scenario_id = std::string(scenario_id);
    run.trigger_kind = "manual";
    run.trigger_data = boost::json::object{{"body", input}, {"received_at", utc_now_iso()}, {"user_id", who->user_id}};
    if (key) run.idempotency_key = *key;
    enqueued_run queued;
    try {
        queued = enqueue_run(tx, run);
    } catch (const store_error& e) {
        if (e.code == "not_found") return not_found();
        if (e.code == "conflict") return problem_response(409, "scenario_not_runnable", "Scenario not runnable", e.what());
        return problem_response(400, "invalid_input", "Invalid input", e.what());
    }
    if (queued.created)
        write_audit(tx, *who, "run.trigger", "run", queued.run_id, boost::json::object{{"scenario_id", scenario_id}},
                    request.remote_address, request.header_or_empty("user-agent"));
    tx.commit();

    boost::json::object body{{"run_id", queued.run_id}, {"status_url", run_status_url(queued.run_id)}};
    if (!queued.created) body["duplicate"] = true;
    return http_response::json(queued.created ? 202 : 200, body);
}

} // namespace sr::host
