// POST /api/v1/scenarios/{scenario}/runs: a manual run of the scenario's current version,
// the /api/v1 face of POST /trigger/{scenario}. Same run as that route makes (trigger kind
// "manual", trigger data {"body": <request body>, "received_at", "user_id"}, queued by
// enqueue_run in this transaction, Idempotency-Key honoured, audit action "run.trigger"), with
// the API's pipeline and problem codes. The body is any JSON value, or empty for null.
#include <string>

#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "api/api_call.hpp"
#include "api/api_error.hpp"
#include "api/api_routes.hpp"
#include "api/request_json.hpp"
#include "runtime/run_queue.hpp"
#include "services/jsonb_text.hpp"
#include "store/scenario_repository.hpp"
#include "webhooks/webhook_ingest.hpp"
#include "webhooks/webhook_payload.hpp"

namespace sr::host {
namespace {

namespace json = boost::json;

constexpr std::size_t max_idempotency_key = 255;

json::value trigger_input(const http_request& request) {
    if (request.body.empty()) return nullptr;
    boost::system::error_code ec;
    auto value = json::parse(request.body, ec);
    if (ec) throw api_error(400, "malformed_json", "the request body is not valid JSON: " + ec.message());
    if (holds_nul(value))
        throw api_error(400, "invalid_input", "the request body holds the character U+0000, which cannot be stored");
    return value;
}

http_response start_run(api_call& call) {
    auto input = trigger_input(call.request);
    const std::string* key = call.request.header("idempotency-key");
    if (key && (key->empty() || key->size() > max_idempotency_key))
        throw api_error(400, "invalid_idempotency_key", "Idempotency-Key must be 1 to 255 bytes");
    auto scenario = find_scenario(call.tx, call.who.org_id, call.param("scenario"));
    if (!scenario) throw api_error(404, "not_found", "no scenario '" + call.param("scenario") + "'");

    new_run run;
    run.scenario_id = scenario->id;
    run.trigger_kind = "manual";
    run.trigger_data = json::object{{"body", input}, {"received_at", utc_now_iso()}, {"user_id", call.who.user_id}};
    if (key) run.idempotency_key = *key;
    auto queued = enqueue_run(call.tx, run); // conflict (nothing published, paused with reject): 409
    if (queued.created)
        call.audit("run.trigger", "run", queued.run_id, json::object{{"scenario_id", scenario->id}, {"via", "api"}});

    json::object body{{"run_id", queued.run_id}, {"status", queued.status}, {"status_url", run_status_url(queued.run_id)}};
    if (!queued.created) body["duplicate"] = true;
    auto res = json_response(queued.created ? 202 : 200, body);
    res.set_header("Location", run_status_url(queued.run_id));
    return res;
}

} // namespace

void add_manual_run_routes(router& routes, api_context& ctx) {
    routes.add_async("POST", "/api/v1/scenarios/{scenario}/runs",
                     authorized(ctx, permission::scenario_execute, start_run));
}

} // namespace sr::host
