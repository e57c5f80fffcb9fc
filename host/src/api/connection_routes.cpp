// Connections of the caller's organization: list, create, get, update, delete. Credentials go
// in (validated against the integration's connection schema, sealed by the vault) and never
// come out: every answer carries only the masked summary. Without a vault the routes are 503.
#include <string>

#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "api/api_call.hpp"
#include "api/api_error.hpp"
#include "api/api_routes.hpp"
#include "api/request_json.hpp"
#include "connections/connection_repository.hpp"
#include "runtime/uuid_text.hpp"

namespace sr::host {
namespace {

namespace json = boost::json;

const vault& require_vault(const api_call& call) {
    if (!call.ctx.keys)
        throw api_error(503, "keys_unavailable", "no master key is configured; connections are unavailable");
    return *call.ctx.keys;
}

api_error no_connection(const std::string& id) {
    return api_error(404, "not_found", "no connection '" + id + "'");
}

const std::string& connection_id(const api_call& call) {
    const auto& id = call.param("connection");
    if (!is_uuid_text(id)) throw no_connection(id);
    return id;
}

// A required non-empty string member; 400 naming the field otherwise.
std::string required_string(const json::object& body, std::string_view key) {
    auto value = string_member(body, key);
    if (!value || value->empty()) throw invalid_field(std::string(key), "a non-empty string");
    return *value;
}

http_response list_connections_route(api_call& call) {
    auto integration = query_param(call.request, "integration").value_or("");
    json::array items;
    for (const auto& row : list_connections(call.tx, call.who.org_id, integration)) items.push_back(to_json(row));
    return json_response(200, json::object{{"connections", std::move(items)}});
}

http_response create_connection_route(api_call& call) {
    const auto& keys = require_vault(call);
    auto body = body_object(call.request);
    for (const auto& [key, value] : body)
        if (key != "integration" && key != "connection_type" && key != "name" && key != "credentials")
            throw api_error(400, "invalid_input", "unknown field '" + std::string(key) + "'", {{"field", key}});
    auto integration = required_string(body, "integration");
    auto type = required_string(body, "connection_type");
    auto name = required_string(body, "name");
    auto* credentials = body.if_contains("credentials");
    if (!credentials || !credentials->is_object()) throw invalid_field("credentials", "an object");
    auto row = create_connection(call.tx, keys, call.who.org_id, call.who.user_id, integration, type, name,
                                 *credentials);
    call.audit("connection.create", "connection", row.id,
               json::object{{"integration", row.integration}, {"connection_type", row.connection_type}});
    auto res = json_response(201, to_json(row));
    res.set_header("Location", "/api/v1/connections/" + row.id);
    return res;
}

http_response get_connection_route(api_call& call) {
    const auto& id = connection_id(call);
    auto row = find_connection(call.tx, call.who.org_id, id);
    if (!row) throw no_connection(id);
    return json_response(200, to_json(*row));
}

http_response update_connection_route(api_call& call) {
    const auto& keys = require_vault(call);
    const auto& id = connection_id(call);
    auto patch = body_object(call.request);
    if (patch.empty()) throw api_error(400, "invalid_input", "the patch is empty");
    if (auto* c = patch.if_contains("credentials"); c && !c->is_object())
        throw invalid_field("credentials", "an object");
    auto row = update_connection(call.tx, keys, call.who.org_id, id, patch);
    json::array fields; // names only: a credential value never reaches the audit trail
    for (const auto& [key, value] : patch) fields.emplace_back(key);
    call.audit("connection.update", "connection", row.id, json::object{{"fields", std::move(fields)}});
    return json_response(200, to_json(row));
}

http_response delete_connection_route(api_call& call) {
    const auto& id = connection_id(call);
    if (!delete_connection(call.tx, call.who.org_id, id)) throw no_connection(id);
    call.audit("connection.delete", "connection", id);
    http_response res;
    res.status = 204;
    return res;
}

} // namespace

void add_connection_routes(router& routes, api_context& ctx) {
    routes.add_async("GET", "/api/v1/connections",
                     authorized(ctx, permission::connection_read, list_connections_route));
    routes.add_async("POST", "/api/v1/connections",
                     authorized(ctx, permission::connection_create, create_connection_route));
    routes.add_async("GET", "/api/v1/connections/{connection}",
                     authorized(ctx, permission::connection_read, get_connection_route));
    routes.add_async("PATCH", "/api/v1/connections/{connection}",
                     authorized(ctx, permission::connection_update, update_connection_route));
    routes.add_async("DELETE", "/api/v1/connections/{connection}",
                     authorized(ctx, permission::connection_delete, delete_connection_route));
}

} // namespace sr::host
