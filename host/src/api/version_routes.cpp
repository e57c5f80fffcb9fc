// Publishing the draft as a numbered version (validated against the loaded plugins' actions),
// listing versions, reading one, and rolling back to an earlier one.
#include <cstdint>

#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "api/api_call.hpp"
#include "api/api_error.hpp"
#include "api/api_routes.hpp"
#include "api/request_json.hpp"
#include "store/problem_json.hpp"
#include "store/row_json.hpp"
#include "store/scenario_repository.hpp"
#include "store/version_repository.hpp"
#include "sr/core/validation/scenario_validator.hpp"

namespace sr::host {
namespace {

namespace json = boost::json;

// Lets the daemon react to a version becoming current (webhook endpoints) in the same
// transaction; adds its answer to the response.
void version_became_current(api_call& call, const version_row& version, json::object& out) {
    if (!call.ctx.on_version_current) return;
    auto extra = call.ctx.on_version_current(call.tx, call.who.org_id, version.scenario_id, version.definition);
    if (!extra.is_null()) out["webhooks"] = std::move(extra);
}

http_response publish(api_call& call) {
    auto body = body_object(call.request, true);
    auto summary = string_member(body, "change_summary").value_or("");
    const auto& catalog = call.ctx.catalog;
    auto version = publish_scenario(call.tx, call.who.org_id, call.param("scenario"), call.who.user_id, summary,
                                    [&catalog](const json::value& graph) {
                                        return problems_to_json(
                                            core::validation::validate_scenario(graph, catalog).problems);
                                    });
    auto out = to_json(version, false);
    version_became_current(call, version, out);
    call.audit("scenario.publish", "scenario", version.scenario_id,
               json::object{{"version_id", version.id}, {"number", version.number}});
    auto res = json_response(201, out);
    res.set_header("Location", "/api/v1/scenarios/" + version.scenario_id + "/versions/" + version.id);
    return res;
}

http_response list_versions_route(api_call& call) {
    auto versions = list_versions(call.tx, call.who.org_id, call.param("scenario"));
    json::array items;
    for (const auto& v : versions) items.push_back(to_json(v, false));
    return json_response(200, json::object{{"versions", std::move(items)}});
}

http_response get_version_route(api_call& call) {
    // Scoped first: find_version alone does not know the organization.
    if (!find_scenario(call.tx, call.who.org_id, call.param("scenario")))
        throw api_error(404, "not_found", "no scenario '" + call.param("scenario") + "'");
    auto version = find_version(call.tx, call.param("scenario"), call.param("version"));
    if (!version) throw api_error(404, "not_found", "no version '" + call.param("version") + "'");
    return json_response(200, to_json(*version, true));
}

http_response rollback(api_call& call) {
    auto body = body_object(call.request);
    auto number = integer_member(body, "version");
    if (!number || *number < 1 || *number > INT32_MAX) throw invalid_field("version", "a version number (1 or more)");
    auto version = rollback_scenario(call.tx, call.who.org_id, call.param("scenario"), static_cast<int>(*number));
    auto out = to_json(version, false);
    version_became_current(call, version, out);
    call.audit("scenario.rollback", "scenario", version.scenario_id,
               json::object{{"version_id", version.id}, {"number", version.number}});
    return json_response(200, out);
}

} // namespace

void add_version_routes(router& routes, api_context& ctx) {
    routes.add_async("POST", "/api/v1/scenarios/{scenario}/publish",
                     authorized(ctx, permission::scenario_update, publish));
    routes.add_async("GET", "/api/v1/scenarios/{scenario}/versions",
                     authorized(ctx, permission::scenario_read, list_versions_route));
    routes.add_async("GET", "/api/v1/scenarios/{scenario}/versions/{version}",
                     authorized(ctx, permission::scenario_read, get_version_route));
    routes.add_async("POST", "/api/v1/scenarios/{scenario}/rollback",
                     authorized(ctx, permission::scenario_update, rollback));
}

} // namespace sr::host
