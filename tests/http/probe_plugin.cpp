#include "probe_plugin.hpp"

#include <boost/json.hpp>

#include <string>

namespace sr::test {
namespace {

namespace json = boost::json;

const char* manifest_text = R"({"id":"service_probe","name":"Service probe","version":"1.0.0","actions":[]})";

struct instance {
    const sr_host* host;
};

// One pending call: what the callback needs to complete it.
struct pending {
    const sr_host* host;
    const sr_call* call;
};

sr_str str(const std::string& s) { return {s.data(), s.size()}; }
std::string text(sr_str s) { return s.size ? std::string(s.data, s.size) : std::string(); }

void complete_with(const sr_host* host, const sr_call* call, const json::value& output) {
    auto out = json::serialize(output);
    sr_result result{};
    result.struct_size = sizeof result;
    result.kind = SR_RESULT_SUCCESS;
    result.output_json = str(out);
    result.retry_after_ms = -1;
    host->complete(call, &result);
}

void on_http(void* user_data, const sr_http_response* r) {
    auto* p = static_cast<pending*>(user_data);
    json::object headers;
    for (uint32_t i = 0; i < r->header_count; ++i) headers[text(r->headers[i].name)] = text(r->headers[i].value);
    json::object out{{"status", r->status},           {"http_status", r->http_status},
                     {"body", text(r->body)},         {"error", text(r->error_message)},
                     {"headers", std::move(headers)}};
    complete_with(p->host, p->call, out);
    delete p;
}

void on_kv_get(void* user_data, sr_status status, sr_str value) {
    auto* p = static_cast<pending*>(user_data);
    json::object out{{"status", status}};
    if (status == SR_OK) out["value"] = text(value);
    complete_with(p->host, p->call, out);
    delete p;
}

void on_kv_done(void* user_data, sr_status status) {
    auto* p = static_cast<pending*>(user_data);
    complete_with(p->host, p->call, json::object{{"status", status}});
    delete p;
}

sr_status start_fetch(const instance* self, const sr_call* call, const json::object& in) {
    auto* http = static_cast<const sr_http_v1*>(self->host->get_service(self->host, SR_HTTP_V1));
    if (!http) return SR_ERR_UNSUPPORTED;
    std::string url = json::value_to<std::string>(in.at("url"));
    std::string method = in.contains("method") ? json::value_to<std::string>(in.at("method")) : "GET";
    std::string body = in.contains("body") ? json::value_to<std::string>(in.at("body")) : "";
    sr_http_request req{};
    req.struct_size = sizeof req;
    req.method = str(method);
    req.url = str(url);
    req.body = str(body);
    req.timeout_ms = in.contains("timeout_ms") ? static_cast<uint32_t>(in.at("timeout_ms").to_number<int64_t>()) : 0;
    req.max_response_bytes =
        in.contains("max_response_bytes") ? static_cast<uint64_t>(in.at("max_response_bytes").to_number<int64_t>()) : 0;
    auto* p = new pending{self->host, call};
    auto status = http->request(call, &req, on_http, p);
    if (status != SR_OK) {
        delete p;
        return status; // the callback will not run: the call ends with this error
    }
    return SR_PENDING;
}

sr_status start_kv(const instance* self, const sr_call* call, const json::object& in) {
    auto* kv = static_cast<const sr_kv_v1*>(self->host->get_service(self->host, SR_KV_V1));
    if (!kv) return SR_ERR_UNSUPPORTED;
    std::string op = json::value_to<std::string>(in.at("op"));
    std::string key = json::value_to<std::string>(in.at("key"));
    auto* p = new pending{self->host, call};
    sr_status status = SR_ERR_INVALID_ARGUMENT;
    if (op == "get") {
        status = kv->get(call, str(key), on_kv_get, p);
    } else if (op == "put") {
        std::string value = json::value_to<std::string>(in.at("value"));
        status = kv->put(call, str(key), str(value), on_kv_done, p);
    } else if (op == "remove") {
        status = kv->remove(call, str(key), on_kv_done, p);
    }
    if (status != SR_OK) {
        delete p;
        return status;
    }
    return SR_PENDING;
}

sr_status probe_init(const sr_host* host, void** out) {
    *out = new instance{host};
    return SR_OK;
}

void probe_deinit(void* self) { delete static_cast<instance*>(self); }

sr_str probe_manifest(void*) { return {manifest_text, std::char_traits<char>::length(manifest_text)}; }

sr_status probe_execute(void* raw, const sr_call* call) {
    auto* self = static_cast<const instance*>(raw);
    try {
        std::string target = text(call->target);
        auto in = json::parse(text(call->input_json)).as_object();
        if (target == "fetch") return start_fetch(self, call, in);
        if (target == "kv") return start_kv(self, call, in);
        if (target == "log") {
            std::string msg = json::value_to<std::string>(in.at("msg"));
            auto level = static_cast<sr_log_level>(in.at("level").to_number<int64_t>());
            self->host->log(self->host, call, level, str(msg));
            complete_with(self->host, call, nullptr);
            return SR_OK;
        }
        if (target == "services") {
            bool http = self->host->get_service(self->host, SR_HTTP_V1) != nullptr;
            bool kv = self->host->get_service(self->host, SR_KV_V1) != nullptr;
            complete_with(self->host, call, json::object{{"http", http}, {"kv", kv}});
            return SR_OK;
        }
        return SR_ERR_UNKNOWN_TARGET;
    } catch (...) {
        return SR_ERR_INVALID_ARGUMENT;
    }
}

const sr_plugin_entry entry{sizeof(sr_plugin_entry), SR_ABI_MAJOR, SR_ABI_MINOR, probe_init, probe_deinit,
                            probe_manifest, probe_execute, nullptr};

} // namespace

const sr_plugin_entry* probe_plugin_entry() { return &entry; }

} // namespace sr::test
