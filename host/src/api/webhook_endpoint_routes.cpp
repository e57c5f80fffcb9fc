// The webhook endpoints of a scenario (one per webhook trigger node, made on publish):
//   GET  /api/v1/scenarios/{scenario}/webhooks: id, node, URL path, verification, mode and
//        dates; never secret material.
//   POST .../webhooks/{endpoint}/secret: the endpoint's secret, for the sender's configuration.
//   POST .../webhooks/{endpoint}/rotate-secret: a new random secret; deliveries signed with the
//        old one are refused from the commit on (ingest opens the secret per delivery).
// Revealing and rotating need webhook:secret:manage (owner, admin) and write an audit row that
// names the endpoint, never the secret. {endpoint} is the endpoint's id or its public id.
#include <string>

#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "api/api_call.hpp"
#include "api/api_error.hpp"
#include "api/api_routes.hpp"
#include "api/request_json.hpp"
#include "api/scenario_lookup.hpp"
#include "runtime/uuid_text.hpp"
#include "security/associated_data.hpp"
#include "security/vault_error.hpp"
#include "store/scenario_repository.hpp"
#include "webhooks/webhook_endpoints.hpp"

namespace sr::host {
namespace {

namespace json = boost::json;

// As webhook_endpoints.cpp makes them on publish: "whsec_" and 258 random bits.
constexpr std::size_t secret_length = 43;

const vault& require_vault(const api_call& call) {
    if (!call.ctx.keys)
        throw api_error(503, "keys_unavailable", "no master key is configured; webhook secrets are unavailable");
    return *call.ctx.keys;
}

constexpr const char* endpoint_columns =
    "e.id::text, e.public_id, e.node_id, e.verification, e.response_mode, e.response_timeout_ms, e.is_active, "
    "to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
    "to_char(e.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
    "to_char(e.last_triggered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
    "e.secret IS NOT NULL";

json::value text_or_null(const pqxx::field& f) {
    return f.is_null() ? json::value(nullptr) : json::value(f.c_str());
}

json::object endpoint_json(const pqxx::row& r) {
    return {{"id", r[0].c_str()},
            {"public_id", r[1].c_str()},
            {"url", "/webhooks/" + r[1].as<std::string>()},
            {"node_id", r[2].c_str()},
            {"verification", r[3].c_str()},
            {"response_mode", r[4].c_str()},
            {"response_timeout_ms", r[5].as<int>()},
            {"is_active", r[6].as<bool>()},
            {"created_at", text_or_null(r[7])},
            {"updated_at", text_or_null(r[8])},
            {"last_triggered_at", text_or_null(r[9])},
            {"has_secret", r[10].as<bool>()}};
}

// The endpoint named by {endpoint} among the scenario's (scoped to the organization), row-locked
// when `lock`; 404 when absent.
pqxx::row find_endpoint(api_call& call, bool lock) {
    const auto& endpoint = call.param("endpoint");
    auto rows = call.tx.exec_params(
        std::string("SELECT ") + endpoint_columns +
            " FROM webhook_endpoints e JOIN scenarios s ON s.id = e.scenario_id "
            "WHERE s.organization_id = $1::uuid AND e.scenario_id = $2::uuid AND (e.public_id = $3 OR e.id::text = $3)" +
            (lock ? " FOR UPDATE OF e" : ""),
        call.who.org_id, call.param("scenario"), endpoint);
    if (rows.empty()) throw api_error(404, "not_found", "no webhook endpoint '" + endpoint + "'");
    return rows[0];
}

http_response secret_answer(const pqxx::row& endpoint, std::string secret) {
    auto res = json_response(200, json::object{{"id", endpoint[0].c_str()},
                                               {"node_id", endpoint[2].c_str()},
                                               {"url", "/webhooks/" + endpoint[1].as<std::string>()},
                                               {"secret", std::move(secret)}});
    res.set_header("Cache-Control", "no-store"); // a secret is not kept by caches on the way
    return res;
}

http_response list_endpoints_route(api_call& call) {
    require_scenario(call);
    auto rows = call.tx.exec_params(std::string("SELECT ") + endpoint_columns +
                                        " FROM webhook_endpoints e WHERE e.scenario_id = $1::uuid ORDER BY e.node_id",
                                    call.param("scenario"));
    json::array items;
    for (const auto& r : rows) items.push_back(endpoint_json(r));
    return json_response(200, json::object{{"webhooks", std::move(items)}});
}

http_response reveal(api_call& call) {
    require_scenario(call);
    const auto& keys = require_vault(call);
    auto endpoint = find_endpoint(call, false);
    std::string secret;
    try {
        secret = webhook_secret(call.tx, keys, call.who.org_id, call.param("scenario"), endpoint[2].c_str());
    } catch (const vault_error&) {
        throw api_error(500, "secret_unreadable", "the secret could not be opened with the configured master keys");
    }
    call.audit("webhook.secret.reveal", "webhook_endpoint", endpoint[0].c_str(),
               json::object{{"scenario_id", call.param("scenario")}, {"node_id", endpoint[2].c_str()}});
    return secret_answer(endpoint, std::move(secret));
}

http_response rotate(api_call& call) {
    require_scenario(call);
    const auto& keys = require_vault(call);
    auto endpoint = find_endpoint(call, true);
    const std::string id = endpoint[0].c_str();
    std::string secret = "whsec_" + random_url_safe(secret_length);
    sealed box = keys.seal(secret, webhook_secret_associated_data(id));
    call.tx.exec_params("UPDATE webhook_endpoints SET secret = $2, secret_nonce = $3, secret_key_id = $4, "
                        "updated_at = now() WHERE id = $1::uuid",
                        id, pqxx::binarystring(box.ciphertext), pqxx::binarystring(box.nonce), box.key_id);
    call.audit("webhook.secret.rotate", "webhook_endpoint", id,
               json::object{{"scenario_id", call.param("scenario")}, {"node_id", endpoint[2].c_str()}});
    return secret_answer(endpoint, std::move(secret));
}

} // namespace

void add_webhook_endpoint_routes(router& routes, api_context& ctx) {
    routes.add_async("GET", "/api/v1/scenarios/{scenario}/webhooks",
                     authorized(ctx, permission::scenario_read, list_endpoints_route));
    routes.add_async("POST", "/api/v1/scenarios/{scenario}/webhooks/{endpoint}/secret",
                     authorized(ctx, permission::webhook_secret_manage, reveal));
    routes.add_async("POST", "/api/v1/scenarios/{scenario}/webhooks/{endpoint}/rotate-secret",
                     authorized(ctx, permission::webhook_secret_manage, rotate));
}

} // namespace sr::host
