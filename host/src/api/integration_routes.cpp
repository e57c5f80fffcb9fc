// GET /api/v1/integrations, /integrations/{integration}, /integrations/{integration}/versions.
// Integrations are shared by every organization (registered by the seeder from the plugins);
// any member may read them.
#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "api/api_call.hpp"
#include "api/api_error.hpp"
#include "api/api_routes.hpp"
#include "api/request_json.hpp"

namespace sr::host {
namespace {

namespace json = boost::json;

// A text[] column as a JSON array of strings.
json::array text_array(const pqxx::field& f) {
    json::array out;
    if (f.is_null()) return out;
    auto parser = f.as_array();
    for (auto item = parser.get_next(); item.first != pqxx::array_parser::done; item = parser.get_next())
        if (item.first == pqxx::array_parser::string_value) out.emplace_back(item.second);
    return out;
}

json::value text_or_null(const pqxx::field& f) {
    return f.is_null() ? json::value(nullptr) : json::value(f.c_str());
}

constexpr const char* integration_columns =
    "SELECT i.id::text, i.manifest_id, i.name, i.description, i.category, i.icon, i.color, i.author, "
    "       i.keywords, i.tags, i.is_active, v.version, v.deprecated, v.manifest::text "
    "FROM integrations i LEFT JOIN integration_versions v ON v.integration_id = i.id AND v.is_latest ";

json::object integration_json(const pqxx::row& r, bool with_manifest) {
    json::object o{{"id", r[0].c_str()},          {"manifest_id", r[1].c_str()}, {"name", r[2].c_str()},
                   {"description", r[3].c_str()}, {"category", r[4].c_str()},    {"icon", r[5].c_str()},
                   {"color", r[6].c_str()},       {"author", r[7].c_str()},      {"keywords", text_array(r[8])},
                   {"tags", text_array(r[9])},    {"is_active", r[10].as<bool>()},
                   {"latest_version", text_or_null(r[11])},
                   {"deprecated", r[12].is_null() ? false : r[12].as<bool>()}};
    if (with_manifest) o["manifest"] = r[13].is_null() ? json::value(nullptr) : json::parse(r[13].c_str());
    return o;
}

http_response list_integrations(api_call& call) {
    auto rows = call.tx.exec(std::string(integration_columns) + "ORDER BY i.manifest_id");
    json::array items;
    for (const auto& r : rows) items.push_back(integration_json(r, false));
    return json_response(200, json::object{{"integrations", std::move(items)}});
}

http_response get_integration(api_call& call) {
    auto rows = call.tx.exec_params(std::string(integration_columns) + "WHERE i.manifest_id = $1",
                                    call.param("integration"));
    if (rows.empty()) throw api_error(404, "not_found", "no integration '" + call.param("integration") + "'");
    return json_response(200, integration_json(rows[0], true));
}

http_response list_integration_versions(api_call& call) {
    auto found = call.tx.exec_params("SELECT id::text FROM integrations WHERE manifest_id = $1", call.param("integration"));
    if (found.empty()) throw api_error(404, "not_found", "no integration '" + call.param("integration") + "'");
    auto rows = call.tx.exec_params(
        "SELECT v.version, v.is_latest, v.deprecated, v.deprecation_reason, v.abi_major, v.abi_minor, "
        "       to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') "
        "FROM integration_versions v WHERE v.integration_id = $1::uuid "
        "ORDER BY v.major DESC, v.minor DESC, v.patch DESC, v.prerelease DESC NULLS FIRST",
        found[0][0].as<std::string>());
    json::array items;
    for (const auto& r : rows)
        items.push_back(json::object{{"version", r[0].c_str()},
                                     {"is_latest", r[1].as<bool>()},
                                     {"deprecated", r[2].as<bool>()},
                                     {"deprecation_reason", text_or_null(r[3])},
                                     {"abi", json::object{{"major", r[4].as<int>()}, {"minor", r[5].as<int>()}}},
                                     {"created_at", r[6].c_str()}});
    return json_response(200, json::object{{"versions", std::move(items)}});
}

} // namespace

void add_integration_routes(router& routes, api_context& ctx) {
    routes.add_async("GET", "/api/v1/integrations", authorized(ctx, permission::scenario_read, list_integrations));
    routes.add_async("GET", "/api/v1/integrations/{integration}",
                     authorized(ctx, permission::scenario_read, get_integration));
    routes.add_async("GET", "/api/v1/integrations/{integration}/versions",
                     authorized(ctx, permission::scenario_read, list_integration_versions));
}

} // namespace sr::host
