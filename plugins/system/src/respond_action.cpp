#include "respond_action.hpp"

#include <cctype>
#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

namespace sr::plugins::system {

namespace {

// RFC 9110 token characters.
bool valid_header_name(std::string_view name) {
    if (name.empty() || name.size() > 256) return false;
    for (char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) == 0 && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) return false;
    }
    return true;
}

// No CR, LF or NUL: a header value must not be able to start another header.
bool valid_header_value(std::string_view value) {
    return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// The integer a status holds (a mapped 201.0 counts), or 0.
int64_t status_code(const boost::json::value& v) {
    if (v.is_int64()) return v.get_int64();
    if (v.is_uint64()) return v.get_uint64() <= 999 ? static_cast<int64_t>(v.get_uint64()) : 0;
    if (v.is_double() && v.get_double() >= 100 && v.get_double() <= 599 && std::trunc(v.get_double()) == v.get_double()) {
        return static_cast<int64_t>(v.get_double());
    }
    return 0;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

sdk::result run_respond(sdk::action_context& ctx) {
    const auto& settings = ctx.settings();
    int64_t status = 200;
    if (const auto* s = settings.if_contains("status"); s != nullptr && !s->is_null()) {
        status = status_code(*s);
        if (status < 100 || status > 599) return sdk::result::invalid_settings(
                "settings.status must be an integer from 100 to 599");
    }
    boost::json::object headers;
    if (const auto* h = settings.if_contains("headers"); h != nullptr && !h->is_null()) {
        if (!h->is_object()) return sdk::result::invalid_settings(
                "settings.headers must be an object of header name to string");
        std::set<std::string> seen;
        for (const auto& entry : h->get_object()) {
            const std::string name(entry.key());
            if (!valid_header_name(name)) return sdk::result::invalid_settings(
                    "header name \"" + name + "\" is not a valid HTTP token");
            if (!seen.insert(lower(name)).second) return sdk::result::invalid_settings(
                    "header \"" + name + "\" is given twice");
            if (!entry.value().is_string() || !valid_header_value(entry.value().get_string())) {
                return sdk::result::invalid_settings("header \"" + name + "\" must be a string without CR, LF or NUL");
            }
            headers.emplace(entry.key(), entry.value());
        }
    }
    const auto* body = settings.if_contains("body");
    return sdk::result::success(boost::json::object{{"status", status},
                                                    {"headers", std::move(headers)},
                                                    {"body", body != nullptr ? *body : boost::json::value(nullptr)}});
}

} // namespace

sdk::action respond_action() {
    return sdk::action("respond", "Respond to webhook")
        .description("Sets the HTTP response a synchronous webhook returns to its caller: status, headers and a "
                     "body (a string is sent as is, other JSON as application/json).")
        .category("http")
        .side_effects(false)
        .input_schema(R"({"type": "object"})")
        .settings_schema(R"({
            "type": "object",
            "properties": {
                "status": {"type": "integer", "minimum": 100, "maximum": 599, "default": 200},
                "headers": {"type": "object", "additionalProperties": {"type": "string"}},
                "body": {"description": "Any JSON, or a string sent as is"}
            }
        })")
        .output_schema(R"({
            "type": "object",
            "properties": {
                "status": {"type": "integer", "minimum": 100, "maximum": 599},
                "headers": {"type": "object", "additionalProperties": {"type": "string"}},
                "body": {}
            },
            "required": ["status", "headers", "body"]
        })")
        .sample_output(R"({"status": 200, "headers": {"content-type": "application/json"}, "body": {"ok": true}})")
        .run(run_respond);
}

} // namespace sr::plugins::system
