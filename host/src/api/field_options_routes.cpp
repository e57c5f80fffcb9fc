// POST /api/v1/integrations/{integration}/actions/{action}/fields/{field}/options: the options of
// a dynamic field (a select whose choices come from the user's service, e.g. WordPress
// categories), asked of the plugin with the connection's credentials and the values of the
// fields it depends on. Cached for the field's cache_ttl_s. The plugin call is bounded by a
// timeout; it blocks the db_pool thread running the route for at most that long (the
// credentials are opened in the same transaction and never leave it but for the call).
#include <chrono>
#include <future>

#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "api/api_call.hpp"
#include "api/api_error.hpp"
#include "api/api_routes.hpp"
#include "api/request_json.hpp"
#include "connections/connection_repository.hpp"
#include "sr/core/engine/run_executor.hpp"

namespace sr::host {
namespace {

namespace json = boost::json;

constexpr auto call_timeout = std::chrono::seconds(10);
constexpr int64_t default_ttl_s = 300;

struct field_declaration {
    uint32_t major = 0;
    int64_t ttl_s = default_ttl_s;
};

// The field as the newest registered version of the plugin declares it on the action or
// trigger; 404 when the plugin, the action or the dynamic field is unknown.
field_declaration find_field(api_call& call) {
    auto rows = call.tx.exec_params("SELECT v.major, v.manifest::text FROM integration_versions v JOIN integrations i "
                                    "ON i.id = v.integration_id WHERE i.manifest_id = $1 AND v.is_latest",
                                    call.param("integration"));
    if (rows.empty()) throw api_error(404, "not_found", "no integration '" + call.param("integration") + "'");
    field_declaration out;
    out.major = rows[0][0].as<uint32_t>();
    json::value manifest = json::parse(rows[0][1].c_str());
    for (const char* list : {"actions", "triggers"}) {
        const auto* items = manifest.as_object().if_contains(list);
        if (!items || !items->is_array()) continue;
        for (const auto& item : items->as_array()) {
            if (!item.is_object() || item.as_object().if_contains("id") == nullptr ||
                item.at("id") != json::value(call.param("action")))
                continue;
            const auto* fields = item.as_object().if_contains("dynamic_fields");
            if (!fields || !fields->is_array()) break;
            for (const auto& f : fields->as_array()) {
                if (!f.is_object() || f.as_object().if_contains("field") == nullptr ||
                    f.at("field") != json::value(call.param("field")))
                    continue;
                if (const auto* ttl = f.as_object().if_contains("cache_ttl_s"); ttl && ttl->is_number())
                    out.ttl_s = ttl->to_number<int64_t>();
                return out;
            }
        }
    }
    throw api_error(404, "not_found",
                    "'" + call.param("action") + "' has no dynamic field '" + call.param("field") + "'");
}

core::call_outcome ask_plugin(core::plugin_instance& plugin, core::call_request req) {
    auto promise = std::make_shared<std::promise<core::call_outcome>>();
    auto future = promise->get_future();
    auto cancel = plugin.invoke(std::move(req), [promise](core::call_outcome o) { promise->set_value(std::move(o)); });
    if (future.wait_for(call_timeout) != std::future_status::ready) {
        if (cancel) cancel->cancel();
        throw api_error(504, "options_timeout", "the integration did not answer with the options in time");
    }
    return future.get();
}

http_response field_options(api_call& call) {
    if (!call.ctx.plugins) throw api_error(503, "plugins_unavailable", "dynamic options are not available on this host");
    auto body = body_object(call.request, true);
    auto connection_id = string_member(body, "connection_id");
    json::value values = json::object();
    if (const auto* v = body.if_contains("values")) {
        if (!v->is_object()) throw api_error(400, "invalid_input", "values must be an object");
        values = *v;
    }
    auto declared = find_field(call);
    const std::string key = call.who.org_id + "|" + call.param("integration") + "|" +
                            std::to_string(declared.major) + "|" + call.param("action") + "|" + call.param("field") +
                            "|" + connection_id.value_or("") + "|" + json::serialize(values);
    if (auto cached = call.ctx.options_cache->find(key))
        return json_response(200, json::object{{"options", *cached}, {"cached", true}});

    auto plugin = call.ctx.plugins->find(call.param("integration"), declared.major);
    if (!plugin) throw api_error(503, "plugin_unavailable", "the integration's plugin is not loaded on this host");
    core::call_request req;
    req.kind = SR_CALL_FIELD_OPTIONS;
    req.target = call.param("action");
    req.field = call.param("field");
    req.settings_json = json::serialize(values);
    if (connection_id) {
        if (!call.ctx.keys) throw api_error(503, "keys_unavailable", "no master key is configured");
        req.connection_json = open_credentials(call.tx, *call.ctx.keys, call.who.org_id, *connection_id);
    }
    req.deadline_unix_ms = core::engine::unix_now_ms() + std::chrono::milliseconds(call_timeout).count();
    auto outcome = ask_plugin(*plugin, std::move(req));
    if (outcome.kind != SR_RESULT_SUCCESS)
        throw api_error(502, outcome.error_code.empty() ? "options_failed" : outcome.error_code,
                        outcome.error_message.empty() ? "the integration could not list the options"
                                                      : outcome.error_message);
    boost::system::error_code ec;
    json::value output = json::parse(outcome.output_json, ec);
    const json::value* options = !ec && output.is_object() ? output.as_object().if_contains("options") : nullptr;
    if (!options || !options->is_array()) throw api_error(502, "options_failed", "the integration answered no options");
    call.ctx.options_cache->put(key, *options, std::chrono::seconds(declared.ttl_s));
    return json_response(200, json::object{{"options", *options}, {"cached", false}});
}

} // namespace

void add_field_options_routes(router& routes, api_context& ctx) {
    routes.add_async("POST", "/api/v1/integrations/{integration}/actions/{action}/fields/{field}/options",
                     authorized(ctx, permission::scenario_read, field_options));
}

} // namespace sr::host
