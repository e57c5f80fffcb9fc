#include "services/host_services.hpp"

#include "db/db_pool.hpp"
#include "services/redact_secrets.hpp"
#include "services/utf8_text.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>

#include <pqxx/pqxx>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <vector>

namespace sr::host {

std::atomic<host_services*> host_services::active_{nullptr};

namespace {

namespace net = boost::asio;

std::string_view view(sr_str s) noexcept {
    return s.size ? std::string_view(s.data, static_cast<std::size_t>(s.size)) : std::string_view();
}

// NULL data is only allowed for an empty string.
bool well_formed(sr_str s) noexcept { return s.data != nullptr || s.size == 0; }

std::int64_t now_unix_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// Hands a response to the plugin; headers and body are borrowed for the callback only.
void deliver(sr_http_callback callback, void* user_data, const http_client_response& r) noexcept {
    try {
        std::vector<sr_http_header> headers;
        headers.reserve(r.headers.size());
        for (const auto& [name, value] : r.headers)
            headers.push_back({{name.data(), name.size()}, {value.data(), value.size()}});
        sr_http_response out{};
        out.struct_size = sizeof(sr_http_response);
        out.status = r.status;
        out.http_status = r.status == SR_OK ? r.http_status : 0;
        out.headers = headers.empty() ? nullptr : headers.data();
        out.header_count = static_cast<uint32_t>(headers.size());
        out.body = {r.body.data(), r.body.size()};
        out.error_message = {r.error_message.data(), r.error_message.size()};
        callback(user_data, &out);
    } catch (...) {
        // Never let anything unwind into the io_context from a plugin's callback.
    }
}

http_client_response transport_error(sr_status status, std::string message) {
    http_client_response r;
    r.status = status;
    r.error_message = std::move(message);
    return r;
}

// How a failed store operation is reported to the plugin.
sr_status status_of(const std::exception_ptr& e, std::string& what) {
    try {
        std::rethrow_exception(e);
    } catch (const pqxx::broken_connection& ex) {
        what = ex.what();
        return SR_ERR_IO;
    } catch (const pqxx::data_exception& ex) {
        what = ex.what();
        return SR_ERR_INVALID_ARGUMENT; // e.g. JSON that jsonb refuses (\u0000)
    } catch (const std::exception& ex) {
        what = ex.what();
        return SR_ERR_INTERNAL;
    } catch (...) {
        what = "unknown exception";
        return SR_ERR_INTERNAL;
    }
}

// Store jobs capture the io_context and the log, never the host_services: the pool may run
// them after the services object is gone, as long as the io_context and log still exist.
void warn_to(json_log& log, const service_call& call, std::string_view message) noexcept {
    log.write(SR_LOG_WARN, {call.plugin_id, call.run_id, call.node_id, call.correlation_id, {}}, message);
}

// A callback into a plugin its host has given up on (the drain timed out) must not run: the
// plugin is no longer its owner's. Logged, since the plugin then never hears back.
bool dropped(json_log& log, const service_call& call, std::string_view service) noexcept {
    if (!call.hold.abandoned()) return false;
    try {
        warn_to(log, call, std::string(service) + " callback dropped: the plugin was unloaded while it was pending");
    } catch (...) {
    }
    return true;
}

void post_done(net::io_context& ioc, json_log& log, const service_call& call, sr_kv_done_callback callback,
               void* user_data, sr_status status) {
    net::post(ioc, [log = &log, call, callback, user_data, status] {
        if (dropped(*log, call, "sr.kv/1")) return;
        try {
            callback(user_data, status);
        } catch (...) {
        }
    });
}


// ---- the C tables -----------------------------------------------------------------------

// The host_services the call's instance was created with, or null when the provider is
// another implementation (then it did not hand out these tables).
host_services* services_of(const core::call_context& ctx) noexcept {
    return dynamic_cast<host_services*>(ctx.services());
}

sr_status http_request_entry(const sr_call* call, const sr_http_request* request,
                             sr_http_callback callback, void* user_data) noexcept {
    try {
        auto* ctx = core::call_context::from(call);
        if (!ctx) return SR_ERR_INVALID_ARGUMENT;
        auto* self = services_of(*ctx);
        if (!self) return SR_ERR_UNSUPPORTED;
        return self->http_request(service_call::from(*ctx), request, callback, user_data);
    } catch (...) {
        return SR_ERR_INTERNAL;
    }
}

sr_status kv_get_entry(const sr_call* call, sr_str key, sr_kv_get_callback callback, void* user_data) noexcept {
    try {
        auto* ctx = core::call_context::from(call);
        if (!ctx) return SR_ERR_INVALID_ARGUMENT;
        auto* self = services_of(*ctx);
        if (!self) return SR_ERR_UNSUPPORTED;
        return self->kv_get(service_call::from(*ctx), key, callback, user_data);
    } catch (...) {
        return SR_ERR_INTERNAL;
    }
}

sr_status kv_put_entry(const sr_call* call, sr_str key, sr_str value_json, sr_kv_done_callback callback,
                       void* user_data) noexcept {
    try {
        auto* ctx = core::call_context::from(call);
        if (!ctx) return SR_ERR_INVALID_ARGUMENT;
        auto* self = services_of(*ctx);
        if (!self) return SR_ERR_UNSUPPORTED;
        return self->kv_put(service_call::from(*ctx), key, value_json, callback, user_data);
    } catch (...) {
        return SR_ERR_INTERNAL;
    }
}

sr_status kv_remove_entry(const sr_call* call, sr_str key, sr_kv_done_callback callback, void* user_data) noexcept {
    try {
        auto* ctx = core::call_context::from(call);
        if (!ctx) return SR_ERR_INVALID_ARGUMENT;
        auto* self = services_of(*ctx);
        if (!self) return SR_ERR_UNSUPPORTED;
        return self->kv_remove(service_call::from(*ctx), key, callback, user_data);
    } catch (...) {
        return SR_ERR_INTERNAL;
    }
}

const sr_http_v1 http_table{sizeof(sr_http_v1), &http_request_entry};
const sr_kv_v1 kv_table{sizeof(sr_kv_v1), &kv_get_entry, &kv_put_entry, &kv_remove_entry};

} // namespace

// ---- service_call ---------------------------------------------------------------------------

service_call service_call::from(const core::call_context& ctx) {
    const auto& req = ctx.request();
    return {ctx.plugin_id(), req.scope,          req.run_id,         req.node_id, req.correlation_id,
            ctx.cancel_token(), ctx.deadline_unix_ms(), ctx.hold_instance()};
}

// ---- host_services --------------------------------------------------------------------------

host_services::host_services(boost::asio::io_context& ioc, json_log& log, db_pool* db, http_client_config http)
    : ioc_(ioc), log_(log), db_(db), client_(ioc, std::move(http)) {
    host_services* expected = nullptr;
    if (!active_.compare_exchange_strong(expected, this))
        throw std::logic_error("only one host_services may exist at a time");
}

host_services::~host_services() {
    host_services* expected = this;
    active_.compare_exchange_strong(expected, nullptr);
}

void host_services::log(const std::string& plugin_id, const core::call_context* call, sr_log_level level,
                        std::string_view message) noexcept {
    bool for_run = call && run_log_sink_ && !call->request().run_id.empty();
    if (!log_.enabled(level) && !for_run) return;
    if (!call) {
        log_.write(level, {plugin_id, {}, {}, {}, {}}, message);
        return;
    }
    const auto& req = call->request();
    try {
        auto safe = redact_secrets(message, req.connection_json);
        if (log_.enabled(level)) log_.write(level, {plugin_id, req.run_id, req.node_id, req.correlation_id, {}}, safe);
        if (for_run) run_log_sink_(req.run_id, req.node_id, level, safe);
    } catch (...) {
        log_.write(level, {plugin_id, req.run_id, req.node_id, req.correlation_id, {}},
                   "(log message dropped: it could not be checked for secrets)");
    }
}

const void* host_services::find_service(std::string_view service_id) noexcept {
    if (service_id == SR_HTTP_V1) return &http_table;
    if (service_id == SR_KV_V1 && db_) return &kv_table;
    return nullptr;
}


sr_status host_services::http_request(const service_call& call, const sr_http_request* request,
                                      sr_http_callback callback, void* user_data) noexcept {
    try {
        if (!request || !callback || !SR_HAS_FIELD(request, sr_http_request, url)) return SR_ERR_INVALID_ARGUMENT;
        if (!well_formed(request->method) || !well_formed(request->url)) return SR_ERR_INVALID_ARGUMENT;
        http_client_request r;
        r.method = view(request->method);
        r.url = view(request->url);
        if (SR_HAS_FIELD(request, sr_http_request, header_count) && request->header_count > 0) {
            if (!request->headers) return SR_ERR_INVALID_ARGUMENT;
            for (uint32_t i = 0; i < request->header_count; ++i) {
                const auto& h = request->headers[i];
                if (!well_formed(h.name) || !well_formed(h.value)) return SR_ERR_INVALID_ARGUMENT;
                r.headers.emplace_back(view(h.name), view(h.value));
            }
        }
        if (SR_HAS_FIELD(request, sr_http_request, body)) {
            if (!well_formed(request->body)) return SR_ERR_INVALID_ARGUMENT;
            r.body = view(request->body);
        }
        if (SR_HAS_FIELD(request, sr_http_request, timeout_ms))
            r.timeout = std::chrono::milliseconds(request->timeout_ms);
        if (SR_HAS_FIELD(request, sr_http_request, max_response_bytes))
            r.max_response_bytes = request->max_response_bytes;

        // The call's deadline bounds the request too: the sooner of the two wins.
        if (r.timeout.count() == 0) r.timeout = client_.config().default_timeout;
        std::optional<http_client_response> immediate;
        if (call.deadline_unix_ms > 0) {
            auto left = call.deadline_unix_ms - now_unix_ms();
            if (left <= 0)
                immediate = transport_error(SR_ERR_TIMEOUT, "the call's deadline has passed");
            else if (left < r.timeout.count())
                r.timeout = std::chrono::milliseconds(left);
        }
        if (call.cancel && call.cancel->cancelled())
            immediate = transport_error(SR_ERR_CANCELLED, "the call was cancelled");
        // The handlers hold the call (and so the plugin) until the plugin's callback has
        // returned; they are destroyed right after running it.
        auto* log = &log_;
        if (immediate) {
            net::post(ioc_, [log, call, callback, user_data, r = std::move(*immediate)] {
                if (!dropped(*log, call, "sr.http/1")) deliver(callback, user_data, r);
            });
            return SR_OK;
        }

        std::function<void()> cancel;
        try {
            cancel = client_.request(std::move(r), [log, call, callback, user_data](http_client_response&& response) {
                if (!dropped(*log, call, "sr.http/1")) deliver(callback, user_data, response);
            });
        } catch (const std::invalid_argument& e) {
            warn_to(log_, call, std::string("sr.http/1 request refused: ") + e.what());
            return SR_ERR_INVALID_ARGUMENT;
        }
        // Unloading the plugin ends the exchange even when its call has already completed.
        call.hold.on_unload(cancel);
        if (call.cancel) call.cancel->subscribe(std::move(cancel));
        return SR_OK;
    } catch (...) {
        return SR_ERR_INTERNAL;
    }
}

namespace {

// The key as stored, or nullopt when it is not acceptable.
std::optional<std::string> checked_key(sr_str key) {
    if (!well_formed(key) || key.size == 0 || key.size > host_services::max_key_bytes) return std::nullopt;
    auto text = view(key);
    if (!is_valid_utf8(text)) return std::nullopt;
    return std::string(text);
}

} // namespace

sr_status host_services::kv_get(const service_call& call, sr_str key, sr_kv_get_callback callback,
                                void* user_data) noexcept {
    try {
        if (!db_) return SR_ERR_UNSUPPORTED;
        auto k = checked_key(key);
        if (!callback || !k) return SR_ERR_INVALID_ARGUMENT;
        auto* ioc = &ioc_;
        auto* log = &log_;
        auto deliver_value = [ioc, log, call, callback, user_data](sr_status status, std::string value) {
            net::post(*ioc, [log, call, callback, user_data, status, value = std::move(value)] {
                if (dropped(*log, call, "sr.kv/1")) return;
                try {
                    callback(user_data, status, {value.data(), value.size()});
                } catch (...) {
                }
            });
        };
        db_->post(
            [plugin = call.plugin_id, scope = call.scope, k = *k, deliver_value](pqxx::connection& conn) {
                pqxx::work tx(conn);
                auto rows = tx.exec_params(
                    "SELECT value::text FROM plugin_state WHERE plugin_id = $1 AND scope = $2 AND key = $3",
                    plugin, scope, k);
                tx.commit();
                if (rows.empty())
                    deliver_value(SR_ERR_NOT_FOUND, {});
                else
                    deliver_value(SR_OK, rows[0][0].as<std::string>());
            },
            [log = &log_, call, deliver_value](std::exception_ptr e) {
                std::string what;
                auto status = status_of(e, what);
                warn_to(*log, call, "sr.kv/1 get failed: " + what);
                deliver_value(status, {});
            });
        return SR_OK;
    } catch (...) {
        return SR_ERR_INTERNAL;
    }
}

sr_status host_services::kv_put(const service_call& call, sr_str key, sr_str value_json,
                                sr_kv_done_callback callback, void* user_data) noexcept {
    try {
        if (!db_) return SR_ERR_UNSUPPORTED;
        auto k = checked_key(key);
        if (!callback || !k || !well_formed(value_json)) return SR_ERR_INVALID_ARGUMENT;
        if (value_json.size > max_value_bytes) return SR_ERR_TOO_LARGE;
        std::string value(view(value_json));
        boost::system::error_code ec;
        boost::json::parse(value, ec);
        if (ec || !is_valid_utf8(value)) return SR_ERR_INVALID_ARGUMENT;
        db_->post(
            [ioc = &ioc_, log = &log_, call, plugin = call.plugin_id, scope = call.scope, k = *k,
             value = std::move(value), callback, user_data](pqxx::connection& conn) {
                pqxx::work tx(conn);
                tx.exec_params("INSERT INTO plugin_state (plugin_id, scope, key, value) VALUES ($1, $2, $3, $4::jsonb) "
                               "ON CONFLICT (plugin_id, scope, key) DO UPDATE SET value = EXCLUDED.value",
                               plugin, scope, k, value);
                tx.commit();
                post_done(*ioc, *log, call, callback, user_data, SR_OK);
            },
            [ioc = &ioc_, log = &log_, call, callback, user_data](std::exception_ptr e) {
                std::string what;
                auto status = status_of(e, what);
                warn_to(*log, call, "sr.kv/1 put failed: " + what);
                post_done(*ioc, *log, call, callback, user_data, status);
            });
        return SR_OK;
    } catch (...) {
        return SR_ERR_INTERNAL;
    }
}

sr_status host_services::kv_remove(const service_call& call, sr_str key, sr_kv_done_callback callback,
                                   void* user_data) noexcept {
    try {
        if (!db_) return SR_ERR_UNSUPPORTED;
        auto k = checked_key(key);
        if (!callback || !k) return SR_ERR_INVALID_ARGUMENT;
        db_->post(
            [ioc = &ioc_, log = &log_, call, plugin = call.plugin_id, scope = call.scope, k = *k, callback,
             user_data](pqxx::connection& conn) {
                pqxx::work tx(conn);
                tx.exec_params("DELETE FROM plugin_state WHERE plugin_id = $1 AND scope = $2 AND key = $3", plugin,
                               scope, k);
                tx.commit();
                // Removing a key that is not there is not an error: the state is as asked.
                post_done(*ioc, *log, call, callback, user_data, SR_OK);
            },
            [ioc = &ioc_, log = &log_, call, callback, user_data](std::exception_ptr e) {
                std::string what;
                auto status = status_of(e, what);
                warn_to(*log, call, "sr.kv/1 remove failed: " + what);
                post_done(*ioc, *log, call, callback, user_data, status);
            });
        return SR_OK;
    } catch (...) {
        return SR_ERR_INTERNAL;
    }
}

} // namespace sr::host
