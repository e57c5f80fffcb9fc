// "Test connection": the integration's plugin checks credentials of one of its connection
// types (SR_CALL_TEST_CONNECTION), e.g. WordPress asks the site for /users/me.
//   POST /api/v1/connections/{connection}/test: a stored connection; its credentials are
//     opened for this call only; the outcome is recorded on the connection (status active or
//     error, last_tested_at, test_result) with an audit row.
//   POST /api/v1/integrations/{integration}/connection-types/{type}/test: credentials in the
//     body, validated against the type's schema, used for the call and never stored.
// Both answer {"ok", "code"?, "message"?}. A credential value never reaches the answer, the
// stored result, the audit row or a log line: the plugin's message is scrubbed of every value
// of the credentials before it goes anywhere. The call runs on the host's io_context with a
// timeout; no thread waits for it.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "api/api_error.hpp"
#include "api/api_routes.hpp"
#include "api/deferred_route.hpp"
#include "api/plugin_call.hpp"
#include "api/request_json.hpp"
#include "auth/audit_log.hpp"
#include "connections/connection_repository.hpp"
#include "connections/credential_schema.hpp"
#include "http/problem.hpp"
#include "runtime/uuid_text.hpp"
#include "security/vault_error.hpp"
#include "store/store_error.hpp"
#include "sr/core/engine/run_executor.hpp"

namespace sr::host {
namespace {

namespace json = boost::json;

constexpr auto test_timeout = std::chrono::seconds(15);

// The newest registered manifest of an integration, with its plugin major; 404 when unknown.
struct registered_manifest {
    std::uint32_t major = 0;
    json::value manifest;
};

registered_manifest latest_manifest(pqxx::transaction_base& tx, const std::string& integration) {
    auto rows = tx.exec_params("SELECT v.major, v.manifest::text FROM integration_versions v JOIN integrations i "
                               "ON i.id = v.integration_id WHERE i.manifest_id = $1 AND v.is_latest",
                               integration);
    if (rows.empty()) throw api_error(404, "not_found", "no integration '" + integration + "'");
    return {rows[0][0].as<std::uint32_t>(), json::parse(rows[0][1].c_str())};
}

std::shared_ptr<core::plugin_instance> require_plugin(const api_call& call, const std::string& integration,
                                                      std::uint32_t major) {
    auto plugin = call.ctx.plugins->find(integration, major);
    if (!plugin) throw api_error(503, "plugin_unavailable", "the integration's plugin is not loaded on this host");
    return plugin;
}

void require_runtime(const api_call& call) {
    if (!call.ctx.plugins || !call.ctx.io)
        throw api_error(503, "plugins_unavailable", "connection tests are not available on this host");
}

// The values of the secret fields (declared by the connection type, or named like one) at any
// depth, 4 characters or more (shorter ones would mangle ordinary words), to be cut out of
// whatever the plugin says.
std::vector<std::string> secret_values(const credential_schema& schema, const json::value& credentials) {
    std::vector<std::string> out;
    const auto* fields = credentials.if_object();
    if (!fields) return out;
    std::vector<const json::value*> stack;
    for (const auto& [key, value] : *fields)
        if (schema.secret_fields.count(std::string(key)) || looks_secret(key)) stack.push_back(&value);
    while (!stack.empty()) {
        const auto* v = stack.back();
        stack.pop_back();
        if (const auto* s = v->if_string(); s && s->size() >= 4) out.emplace_back(*s);
        if (const auto* o = v->if_object())
            for (const auto& [key, child] : *o) stack.push_back(&child);
        if (const auto* a = v->if_array())
            for (const auto& child : *a) stack.push_back(&child);
    }
    return out;
}

std::string scrub(std::string text, const std::vector<std::string>& secrets) {
    for (const auto& secret : secrets)
        for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at))
            text.replace(at, secret.size(), "••••");
    return text;
}

std::string string_field(const json::value& v, std::string_view key) {
    const auto* o = v.if_object();
    const auto* s = o ? o->if_contains(key) : nullptr;
    return s && s->is_string() ? std::string(s->as_string()) : std::string();
}

// {"ok": true} or {"ok": false, "code", "message"}: what the API answers and stores.
json::object test_result(const std::optional<core::call_outcome>& outcome, const std::vector<std::string>& secrets) {
    if (!outcome)
        return {{"ok", false},
                {"code", "action_timeout"},
                {"message", "the integration did not answer within " +
                                std::to_string(std::chrono::seconds(test_timeout).count()) + " s"}};
    std::string code, message;
    if (outcome->kind == SR_RESULT_SUCCESS) {
        boost::system::error_code ec;
        auto output = json::parse(outcome->output_json, ec);
        // A plugin may also report a failed check as a success whose output says ok: false.
        const auto* o = !ec ? output.if_object() : nullptr;
        const auto* ok = o ? o->if_contains("ok") : nullptr;
        if (!ok || !ok->is_bool() || ok->as_bool()) return {{"ok", true}};
        code = string_field(output, "code");
        message = string_field(output, "message");
    } else {
        code = outcome->error_code;
        message = outcome->error_message;
    }
    if (code.empty()) code = "connection_test_failed";
    if (message.empty()) message = "the integration refused the credentials";
    return {{"ok", false}, {"code", scrub(code, secrets)}, {"message", scrub(message, secrets)}};
}

core::call_request test_call(const std::string& type, std::string credentials_json) {
    core::call_request req;
    req.kind = SR_CALL_TEST_CONNECTION;
    req.target = type;
    req.connection_json = std::move(credentials_json);
    req.deadline_unix_ms = core::engine::unix_now_ms() + std::chrono::milliseconds(test_timeout).count();
    return req;
}

// What the second transaction needs once the call has ended: the caller and the request's
// origin for the audit row.
struct stored_test {
    api_context* ctx;
    principal who;
    std::string connection_id, ip, user_agent;
};

http_response failed(const stored_test& t, const std::string& why) {
    if (t.ctx->log_error) t.ctx->log_error("api connection test: recording the outcome failed: " + why);
    return problem_response(500, "internal_error", "Internal Server Error", "the request could not be handled");
}

// Records the outcome on the connection and audits it, then answers.
void record_outcome(const stored_test& t, json::object result, respond_fn respond) {
    t.ctx->pool.post(
        [t, result = std::move(result), respond](pqxx::connection& conn) {
            http_response answer;
            try {
                pqxx::work tx(conn);
                auto row = record_connection_test(tx, t.who.org_id, t.connection_id, result.at("ok").as_bool(), result);
                json::object details{{"ok", result.at("ok")}};
                if (const auto* code = result.if_contains("code")) details["code"] = *code;
                write_audit(tx, t.who, "connection.test", "connection", t.connection_id, details, t.ip, t.user_agent);
                tx.commit();
                auto out = result;
                out["connection"] = to_json(row);
                answer = json_response(200, out);
            } catch (const store_error& e) {
                // not_found: deleted while it was being tested. Store messages hold no secrets.
                if (e.code == "not_found")
                    answer = problem_response(404, "not_found", "Not Found", "no connection '" + t.connection_id + "'");
                else
                    answer = failed(t, e.what());
            } catch (const pqxx::broken_connection&) {
                throw; // db_pool reconnects; the error handler answers 503
            } catch (const std::exception& e) {
                answer = failed(t, e.what());
            }
            respond(std::move(answer));
        },
        [t, respond](std::exception_ptr) {
            if (t.ctx->log_error) t.ctx->log_error("api connection test: the outcome could not be recorded");
            respond(problem_response(503, "database_unavailable", "Service Unavailable",
                                     "the database is unavailable; try again later"));
        });
}

api_continuation test_stored(api_call& call) {
    const auto& id = call.param("connection");
    if (!is_uuid_text(id)) throw api_error(404, "not_found", "no connection '" + id + "'");
    auto row = find_connection(call.tx, call.who.org_id, id);
    if (!row) throw api_error(404, "not_found", "no connection '" + id + "'");
    if (!call.ctx.keys)
        throw api_error(503, "keys_unavailable", "no master key is configured; connections are unavailable");
    require_runtime(call);
    auto declared = latest_manifest(call.tx, row->integration);
    auto plugin = require_plugin(call, row->integration, declared.major);
    std::string credentials;
    try {
        credentials = open_credentials(call.tx, *call.ctx.keys, call.who.org_id, id);
    } catch (const vault_error&) {
        throw api_error(500, "credentials_unreadable",
                        "the stored credentials could not be opened with the configured master keys");
    }
    boost::system::error_code ec;
    auto schema = credential_schema::from_manifest(declared.manifest, row->connection_type);
    auto secrets =
        std::make_shared<const std::vector<std::string>>(secret_values(schema, json::parse(credentials, ec)));
    auto request = std::make_shared<core::call_request>(test_call(row->connection_type, std::move(credentials)));
    auto* ua = call.request.header("user-agent");
    stored_test t{&call.ctx, call.who, id, call.request.remote_address, ua ? *ua : std::string()};
    return [io = call.ctx.io, plugin, request, secrets, t](respond_fn respond) {
        async_plugin_call(io, plugin, std::move(*request), test_timeout,
                          [secrets, t, respond](std::optional<core::call_outcome> outcome) {
                              record_outcome(t, test_result(outcome, *secrets), respond);
                          });
    };
}

api_continuation test_unsaved(api_call& call) {
    auto body = body_object(call.request);
    for (const auto& [key, value] : body)
        if (key != "credentials")
            throw api_error(400, "invalid_input", "unknown field '" + std::string(key) + "'", {{"field", key}});
    const auto* credentials = body.if_contains("credentials");
    if (!credentials || !credentials->is_object()) throw invalid_field("credentials", "an object");
    const auto& integration = call.param("integration");
    const auto& type = call.param("type");
    auto declared = latest_manifest(call.tx, integration);
    auto schema = credential_schema::from_manifest(declared.manifest, type);
    if (schema.connection_type.empty())
        throw api_error(404, "not_found", "'" + integration + "' has no connection type '" + type + "'");
    if (auto problems = schema.validate(*credentials); !problems.empty())
        throw store_error("validation_failed", "the credentials do not match the connection type's schema",
                          std::move(problems));
    require_runtime(call);
    auto plugin = require_plugin(call, integration, declared.major);
    auto secrets = std::make_shared<const std::vector<std::string>>(secret_values(schema, *credentials));
    auto request = std::make_shared<core::call_request>(test_call(type, json::serialize(*credentials)));
    return [io = call.ctx.io, plugin, request, secrets](respond_fn respond) {
        async_plugin_call(io, plugin, std::move(*request), test_timeout,
                          [secrets, respond](std::optional<core::call_outcome> outcome) {
                              respond(json_response(200, test_result(outcome, *secrets)));
                          });
    };
}

} // namespace

void add_connection_test_routes(router& routes, api_context& ctx) {
    routes.add_async("POST", "/api/v1/connections/{connection}/test",
                     authorized_deferred(ctx, permission::connection_test, test_stored));
    routes.add_async("POST", "/api/v1/integrations/{integration}/connection-types/{type}/test",
                     authorized_deferred(ctx, permission::connection_test, test_unsaved));
}

} // namespace sr::host
