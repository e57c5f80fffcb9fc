// Scenarios of the caller's organization: create, list, get, update, delete, and the draft
// graph in React Flow shape with optimistic locking on its revision.
#include <cstdint>
#include <initializer_list>

#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "api/api_call.hpp"
#include "api/api_error.hpp"
#include "api/api_routes.hpp"
#include "api/request_json.hpp"
#include "api/scenario_lookup.hpp"
#include "store/problem_json.hpp"
#include "store/row_json.hpp"
#include "store/scenario_repository.hpp"
#include "sr/core/validation/scenario_validator.hpp"

namespace sr::host {
namespace {

namespace json = boost::json;

std::string etag(std::int64_t revision) {
    return "\"" + std::to_string(revision) + "\"";
}

http_response create_scenario_route(api_call& call) {
    auto body = body_object(call.request);
    for (const auto& [key, value] : body)
        if (key != "name" && key != "description" && key != "settings")
            throw api_error(400, "invalid_input", "unknown field '" + std::string(key) + "'", {{"field", key}});
    auto name = string_member(body, "name");
    if (!name || name->empty()) throw invalid_field("name", "a non-empty string");
    auto description = string_member(body, "description").value_or("");
    json::value settings = nullptr;
    if (auto* s = body.if_contains("settings"); s && !s->is_null()) {
        if (!s->is_object()) throw invalid_field("settings", "an object");
        settings = *s;
    }
    auto row = create_scenario(call.tx, call.who.org_id, call.who.user_id, *name, description, settings);
    call.audit("scenario.create", "scenario", row.id, json::object{{"name", row.name}});
    auto res = json_response(201, to_json(row, false));
    res.set_header("Location", "/api/v1/scenarios/" + row.id);
    return res;
}

http_response list_scenarios_route(api_call& call) {
    auto limit = integer_query(call.request, "limit", 1, max_page_size).value_or(default_page_size);
    auto after = query_param(call.request, "after").value_or("");
    auto rows = list_scenarios(call.tx, call.who.org_id, static_cast<int>(limit), after);
    json::array items;
    for (const auto& r : rows) items.push_back(to_json(r, false));
    json::value next = nullptr;
    if (static_cast<std::int64_t>(rows.size()) == limit && !rows.empty()) next = rows.back().id;
    return json_response(200, json::object{{"scenarios", std::move(items)}, {"next_after", next}});
}

http_response get_scenario_route(api_call& call) {
    return json_response(200, to_json(require_scenario(call), false));
}

http_response update_scenario_route(api_call& call) {
    auto patch = body_object(call.request);
    if (patch.empty()) throw api_error(400, "invalid_input", "the patch is empty");
    auto row = update_scenario(call.tx, call.who.org_id, call.param("scenario"), patch);
    json::array fields;
    for (const auto& [key, value] : patch) fields.emplace_back(key);
    call.audit("scenario.update", "scenario", row.id, json::object{{"fields", std::move(fields)}});
    return json_response(200, to_json(row, false));
}

http_response delete_scenario_route(api_call& call) {
    if (!delete_scenario(call.tx, call.who.org_id, call.param("scenario")))
        throw api_error(404, "not_found", "no scenario '" + call.param("scenario") + "'");
    call.audit("scenario.delete", "scenario", call.param("scenario"));
    http_response res;
    res.status = 204;
    return res;
}

http_response get_graph(api_call& call) {
    auto row = require_scenario(call);
    json::object graph = row.draft_graph.is_object() ? row.draft_graph.as_object() : json::object{};
    graph["revision"] = row.draft_revision;
    auto res = json_response(200, graph);
    res.set_header("ETag", etag(row.draft_revision));
    return res;
}

// The graph as stored: exactly nodes, edges and viewport, each of the right JSON type.
json::object graph_from_body(const json::object& body) {
    auto* nodes = body.if_contains("nodes");
    auto* edges = body.if_contains("edges");
    if (!nodes || !nodes->is_array()) throw invalid_field("nodes", "an array");
    if (!edges || !edges->is_array()) throw invalid_field("edges", "an array");
    for (const auto& n : nodes->as_array())
        if (!n.is_object()) throw invalid_field("nodes", "an array of objects");
    for (const auto& e : edges->as_array())
        if (!e.is_object()) throw invalid_field("edges", "an array of objects");
    json::value viewport = json::object{{"x", 0}, {"y", 0}, {"zoom", 1}};
    if (auto* v = body.if_contains("viewport"); v && !v->is_null()) {
        if (!v->is_object()) throw invalid_field("viewport", "an object {x, y, zoom}");
        for (auto key : {"x", "y", "zoom"}) {
            auto* c = v->as_object().if_contains(key);
            if (!c || !c->is_number()) throw invalid_field(std::string("viewport.") + key, "a number");
        }
        viewport = *v;
    }
    return json::object{{"nodes", *nodes}, {"edges", *edges}, {"viewport", std::move(viewport)}};
}

http_response put_graph(api_call& call) {
    auto body = body_object(call.request);
    auto graph = graph_from_body(body);
    auto revision = if_match_revision(call.request);
    if (!revision) revision = integer_member(body, "revision");
    auto new_revision = save_draft(call.tx, call.who.org_id, call.param("scenario"), graph, revision.value_or(-1));
    // A draft may be unfinished: its problems are reported, not refused (publish refuses them).
    auto checked = core::validation::validate_scenario(graph, call.ctx.catalog);
    call.audit("scenario.graph.save", "scenario", call.param("scenario"),
               json::object{{"revision", new_revision},
                            {"nodes", graph.at("nodes").as_array().size()},
                            {"edges", graph.at("edges").as_array().size()}});
    auto res = json_response(200, json::object{{"revision", new_revision},
                                               {"problems", problems_to_json(checked.problems)},
                                               {"warnings", problems_to_json(checked.warnings)}});
    res.set_header("ETag", etag(new_revision));
    return res;
}

} // namespace

void add_scenario_routes(router& routes, api_context& ctx) {
    routes.add_async("POST", "/api/v1/scenarios", authorized(ctx, permission::scenario_create, create_scenario_route));
    routes.add_async("GET", "/api/v1/scenarios", authorized(ctx, permission::scenario_read, list_scenarios_route));
    routes.add_async("GET", "/api/v1/scenarios/{scenario}",
                     authorized(ctx, permission::scenario_read, get_scenario_route));
    routes.add_async("PATCH", "/api/v1/scenarios/{scenario}",
                     authorized(ctx, permission::scenario_update, update_scenario_route));
    routes.add_async("DELETE", "/api/v1/scenarios/{scenario}",
                     authorized(ctx, permission::scenario_delete, delete_scenario_route));
    routes.add_async("GET", "/api/v1/scenarios/{scenario}/graph",
                     authorized(ctx, permission::scenario_read, get_graph));
    routes.add_async("PUT", "/api/v1/scenarios/{scenario}/graph",
                     authorized(ctx, permission::scenario_update, put_graph));
}

} // namespace sr::host
