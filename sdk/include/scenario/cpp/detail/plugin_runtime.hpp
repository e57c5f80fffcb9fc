#pragma once
// One initialised plugin instance as the C entry sees it: the definition, its manifest text
// and the calls in flight. Its static functions are the noexcept trampolines the entry table
// points at; nothing thrown inside gets past them.
#include <scenario/cpp/action_context.hpp>
#include <scenario/cpp/completion.hpp>
#include <scenario/cpp/detail/c_strings.hpp>
#include <scenario/cpp/detail/call_state.hpp>
#include <scenario/cpp/integration.hpp>

#include <boost/json.hpp>

#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace sr::sdk::detail {

class plugin_runtime {
public:
    using factory = integration (*)();

    // [load-thread]
    static sr_status init(const sr_host* host, factory make, void** out_instance) noexcept {
        if (host == nullptr || out_instance == nullptr) return SR_ERR_INVALID_ARGUMENT;
        if (!SR_HAS_FIELD(host, sr_host, get_service) || host->abi_major != SR_ABI_MAJOR || host->complete == nullptr) {
            return SR_ERR_INVALID_ARGUMENT;
        }
        host_services services;
        services.host = host;
        try {
            services.http = find_http(host);
            services.kv = find_kv(host);
            auto runtime = std::unique_ptr<plugin_runtime>(new plugin_runtime(services, make()));
            runtime->definition_.validate();
            runtime->manifest_ = boost::json::serialize(runtime->definition_.manifest());
            *out_instance = runtime.release();
            return SR_OK;
        } catch (const std::exception& e) {
            log_init_failure(services, e.what());
        } catch (...) {
            log_init_failure(services, "unknown exception type");
        }
        return SR_ERR_INIT_FAILED;
    }

    // [load-thread]
    static void deinit(void* instance) noexcept { delete static_cast<plugin_runtime*>(instance); }

    // [load-thread] The text lives in the instance until deinit.
    static sr_str manifest(void* instance) noexcept {
        if (instance == nullptr) return sr_str{nullptr, 0};
        return borrow(static_cast<plugin_runtime*>(instance)->manifest_);
    }

    // [any-thread]
    static sr_status execute(void* instance, const sr_call* call) noexcept {
        auto* self = static_cast<plugin_runtime*>(instance);
        if (self == nullptr || call == nullptr || !SR_HAS_FIELD(call, sr_call, from_version)) {
            return SR_ERR_INVALID_ARGUMENT;
        }
        try {
            sr_status status = SR_OK;
            const handler* fn = self->find_handler(*call, status);
            if (fn == nullptr) return status;
            call_data data;
            if (!self->parse(*call, data)) return SR_ERR_INVALID_ARGUMENT;
            auto state = std::make_shared<call_state>(self->services_, call, std::move(data));
            self->track(call, state);
            run_guarded(*state, [&] { (*fn)(action_context(state), completion(state)); });
            // SR_OK only once host->complete() has returned; otherwise it is still to come
            // (or running right now on another thread), which SR_PENDING allows.
            return state->settled() ? SR_OK : SR_PENDING;
        } catch (...) {
            return SR_ERR_INTERNAL; // before the handler ran: complete() was not called
        }
    }

    // [any-thread]
    static void cancel(void* instance, const sr_call* call) noexcept {
        auto* self = static_cast<plugin_runtime*>(instance);
        if (self == nullptr || call == nullptr) return;
        std::shared_ptr<call_state> state;
        {
            std::lock_guard lock(self->calls_mutex_);
            if (auto it = self->calls_.find(call); it != self->calls_.end()) state = it->second.lock();
        }
        if (state) state->cancel();
    }

private:
    plugin_runtime(const host_services& services, integration definition)
        : services_(services), definition_(std::move(definition)) {}

    template <class Table>
    static const Table* find_service(const sr_host* host, const char* id) noexcept {
        if (host->get_service == nullptr) return nullptr;
        const auto* table = static_cast<const Table*>(host->get_service(host, id));
        return table;
    }

    static const sr_http_v1* find_http(const sr_host* host) noexcept {
        const auto* http = find_service<sr_http_v1>(host, SR_HTTP_V1);
        if (http == nullptr || !SR_HAS_FIELD(http, sr_http_v1, request) || http->request == nullptr) return nullptr;
        return http;
    }

    static const sr_kv_v1* find_kv(const sr_host* host) noexcept {
        const auto* kv = find_service<sr_kv_v1>(host, SR_KV_V1);
        if (kv == nullptr || !SR_HAS_FIELD(kv, sr_kv_v1, remove) || kv->get == nullptr || kv->put == nullptr ||
            kv->remove == nullptr) {
            return nullptr;
        }
        return kv;
    }

    static void log_init_failure(const host_services& services, const char* what) noexcept {
        try {
            services.log(nullptr, SR_LOG_ERROR, std::string("plugin init failed: ") + what);
        } catch (...) {
            services.log(nullptr, SR_LOG_ERROR, "plugin init failed");
        }
    }

    static const handler* usable(const handler& fn, sr_status& status) noexcept {
        if (fn) return &fn;
        status = SR_ERR_UNSUPPORTED;
        return nullptr;
    }

    static const dynamic_field* find_field(const std::vector<dynamic_field>& fields, std::string_view name) noexcept {
        for (const auto& f : fields) {
            if (f.field() == name) return &f;
        }
        return nullptr;
    }

    // The handler for the call's kind and target, or null with the status to return.
    const handler* find_handler(const sr_call& call, sr_status& status) const noexcept {
        const std::string_view target = view(call.target);
        status = SR_ERR_UNKNOWN_TARGET;
        switch (call.kind) {
        case SR_CALL_ACTION: {
            const action* a = definition_.find_action(target);
            return a == nullptr ? nullptr : usable(a->run_handler(), status);
        }
        case SR_CALL_POLL_TRIGGER: {
            const trigger* t = definition_.find_trigger(target);
            return t == nullptr ? nullptr : usable(t->poll_handler(), status);
        }
        case SR_CALL_WEBHOOK: {
            const trigger* t = definition_.find_trigger(target);
            return t == nullptr ? nullptr : usable(t->webhook_handler(), status);
        }
        case SR_CALL_FIELD_OPTIONS: {
            const dynamic_field* f = nullptr;
            if (const action* a = definition_.find_action(target)) {
                f = find_field(a->fields(), view(call.field));
            } else if (const trigger* t = definition_.find_trigger(target)) {
                f = find_field(t->fields(), view(call.field));
            }
            return f == nullptr ? nullptr : usable(f->options_handler(), status);
        }
        case SR_CALL_TEST_CONNECTION: {
            const connection_type* c = definition_.find_connection(target);
            return c == nullptr ? nullptr : usable(c->test_handler(), status);
        }
        case SR_CALL_MIGRATE_SETTINGS: {
            const action* a = definition_.find_action(target);
            return a == nullptr ? nullptr : usable(a->migrate_handler(), status);
        }
        default:
            status = SR_ERR_UNSUPPORTED;
            return nullptr;
        }
    }

    // Parses `text` into `out`; empty text gives `empty`. False for malformed JSON or when an
    // object was required and something else came.
    static bool parse_json(sr_str text, boost::json::value& out, bool must_be_object, boost::json::value empty) {
        if (text.size == 0) {
            out = std::move(empty);
            return true;
        }
        boost::system::error_code ec;
        out = boost::json::parse(view(text), ec);
        return !ec && (!must_be_object || out.is_object());
    }

    bool parse(const sr_call& call, call_data& data) const {
        data.kind = call.kind;
        data.target = copy(call.target);
        data.field = copy(call.field);
        data.run_id = copy(call.run_id);
        data.node_id = copy(call.node_id);
        data.correlation_id = copy(call.correlation_id);
        data.idempotency_key = copy(call.idempotency_key);
        data.scope = copy(call.scope);
        data.raw_body = copy(call.raw_body);
        data.from_version = copy(call.from_version);
        data.attempt = call.attempt;
        data.deadline_unix_ms = call.deadline_unix_ms;
        data.has_connection = call.connection_json.size > 0;

        boost::json::value input, settings, connection, headers;
        const char* bad = nullptr;
        if (!parse_json(call.input_json, input, true, boost::json::object())) bad = "input_json";
        else if (!parse_json(call.settings_json, settings, true, boost::json::object())) bad = "settings_json";
        // Never echo the connection: it holds secrets.
        else if (!parse_json(call.connection_json, connection, true, boost::json::object())) bad = "connection_json";
        else if (!parse_json(call.cursor_json, data.cursor, false, nullptr)) bad = "cursor_json";
        else if (!parse_json(call.headers_json, headers, true, boost::json::object())) bad = "headers_json";
        if (bad != nullptr) {
            services_.log(&call, SR_LOG_ERROR,
                          "call for '" + data.target + "' refused: " + bad + " is not " +
                              (std::string_view(bad) == "cursor_json" ? "JSON" : "a JSON object"));
            return false;
        }
        data.input = std::move(input.as_object());
        data.settings = std::move(settings.as_object());
        data.connection = std::move(connection.as_object());
        data.headers = std::move(headers.as_object());
        return true;
    }

    void track(const sr_call* call, const std::shared_ptr<call_state>& state) {
        state->on_finished([this, call] {
            std::lock_guard lock(calls_mutex_);
            calls_.erase(call);
        });
        std::lock_guard lock(calls_mutex_);
        calls_[call] = state;
    }

    host_services services_;
    integration definition_;
    std::string manifest_;
    std::mutex calls_mutex_;
    std::unordered_map<const sr_call*, std::weak_ptr<call_state>> calls_;
};

} // namespace sr::sdk::detail
