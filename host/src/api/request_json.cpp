#include "api/request_json.hpp"

#include <charconv>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/url/parse_query.hpp>

#include "api/api_error.hpp"
#include "services/jsonb_text.hpp"

namespace sr::host {
namespace {

std::optional<std::int64_t> to_integer(std::string_view text) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

} // namespace

boost::json::object body_object(const http_request& request, bool empty_ok) {
    if (request.body.empty() && empty_ok) return {};
    boost::system::error_code ec;
    auto value = boost::json::parse(request.body, ec);
    if (ec) throw api_error(400, "malformed_json", "the request body is not valid JSON: " + ec.message());
    if (!value.is_object()) throw api_error(400, "invalid_input", "the request body must be a JSON object");
    if (holds_nul(value))
        throw api_error(400, "invalid_input", "the request body holds the character U+0000, which cannot be stored");
    return std::move(value.as_object());
}

std::optional<std::string> string_member(const boost::json::object& o, std::string_view key) {
    auto* v = o.if_contains(key);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_string()) throw invalid_field(std::string(key), "a string");
    return std::string(v->as_string());
}

std::optional<std::int64_t> integer_member(const boost::json::object& o, std::string_view key) {
    auto* v = o.if_contains(key);
    if (!v || v->is_null()) return std::nullopt;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
        return static_cast<std::int64_t>(v->as_uint64());
    throw invalid_field(std::string(key), "an integer");
}

std::optional<std::string> query_param(const http_request& request, std::string_view name) {
    auto params = boost::urls::parse_query(request.query);
    if (!params) throw api_error(400, "invalid_input", "the query string is malformed");
    for (auto p : *params)
        if (p.key == name) return std::string(p.value);
    return std::nullopt;
}

std::optional<std::int64_t> integer_query(const http_request& request, std::string_view name, std::int64_t min,
                                          std::int64_t max) {
    auto text = query_param(request, name);
    if (!text) return std::nullopt;
    auto value = to_integer(*text);
    if (!value || *value < min || *value > max)
        throw api_error(400, "invalid_input",
                        "query parameter '" + std::string(name) + "' must be an integer from " + std::to_string(min) +
                            " to " + std::to_string(max),
                        {{"field", name}});
    return value;
}

std::optional<std::int64_t> if_match_revision(const http_request& request) {
    auto* header = request.header("if-match");
    if (!header) return std::nullopt;
    std::string_view v(*header);
    if (v.starts_with("W/")) v.remove_prefix(2);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    auto value = to_integer(v);
    if (!value || *value < 0)
        throw api_error(400, "invalid_input", "If-Match must carry a draft revision such as \"3\"",
                        {{"field", "If-Match"}});
    return value;
}

http_response json_response(int status, const boost::json::value& body) {
    return http_response::json(status, body);
}

} // namespace sr::host
