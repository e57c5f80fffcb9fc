// Defaults and types: default, coalesce, if, type_of, is_null, to_string, to_number, to_bool,
// json_parse, json_stringify.
#include <charconv>
#include <cmath>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "functions.hpp"
#include "sr/core/mapping/limits.hpp"
#include "utf8.hpp"
#include "value_ops.hpp"

namespace sr::core::mapping::detail {
namespace {

namespace json = boost::json;

std::string_view trim_ascii(std::string_view s) {
    while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
    return s;
}

std::string quoted_excerpt(std::string_view s) {
    constexpr std::size_t max = 40;
    return s.size() <= max ? fmt::format("'{}'", s) : fmt::format("'{}...'", s.substr(0, max));
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i]))
            return false;
    return true;
}

} // namespace

// Lazy: the fallback is evaluated only when it is used.
operand fn_default(call_args& a) {
    const json::value& v = a[0];
    if (v.is_null() || (v.is_string() && v.get_string().empty())) return a.take(1);
    return a.take(0);
}

operand fn_coalesce(call_args& a) {
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!a[i].is_null()) return a.take(i);
    return operand();
}

operand fn_if(call_args& a) {
    if (truthy(a[0])) return a.take(1);
    return a.size() > 2 ? a.take(2) : operand();
}

operand fn_type_of(call_args& a) { return operand(json::string(type_name(a[0]))); }

operand fn_is_null(call_args& a) { return operand(a[0].is_null()); }

operand fn_to_string(call_args& a) {
    if (a[0].is_string()) return a.take(0);
    std::string s;
    append_text(s, a[0], limits::max_string_bytes);
    return string_result(a, s);
}

operand fn_to_number(call_args& a) {
    const json::value& v = a[0];
    if (as_number(v)) return a.take(0);
    if (v.is_bool()) return operand(int64_t{v.get_bool() ? 1 : 0});
    if (!v.is_string()) a.type_error(0, "a string, a number or a boolean");
    std::string_view text = v.get_string();
    std::string_view s = trim_ascii(text);
    const char* first = s.data();
    const char* last = s.data() + s.size();
    int64_t i = 0;
    auto ri = std::from_chars(first, last, i);
    if (!s.empty() && ri.ec == std::errc() && ri.ptr == last) return operand(i);
    double d = 0;
    auto rd = std::from_chars(first, last, d);
    if (!s.empty() && rd.ec == std::errc() && rd.ptr == last && std::isfinite(d)) return operand(d);
    a.fail(fmt::format("cannot convert {} to a number", quoted_excerpt(text)));
}

// Booleans as they are; the words false, 0, no and off (any case) are false; else truthiness.
operand fn_to_bool(call_args& a) {
    const json::value& v = a[0];
    if (v.is_string()) {
        std::string_view s = trim_ascii(v.get_string());
        for (std::string_view word : {"false", "0", "no", "off", ""})
            if (equals_ignoring_case(s, word)) return operand(false);
        return operand(true);
    }
    return operand(truthy(v));
}

operand fn_json_parse(call_args& a) {
    std::string_view text = a.string(0);
    if (text.size() > limits::max_string_bytes)
        a.fail(fmt::format("the text is longer than {} bytes", limits::max_string_bytes));
    json::parse_options options;
    options.max_depth = limits::max_depth;
    boost::system::error_code ec;
    json::value v = json::parse(text, ec, {}, options);
    if (ec) a.fail(fmt::format("invalid JSON: {}", ec.message()));
    a.context().charge(measure(v, a.context().remaining()));
    return operand(std::move(v));
}

operand fn_json_stringify(call_args& a) {
    std::string s;
    append_json(s, a[0], limits::max_string_bytes);
    return string_result(a, s);
}

} // namespace sr::core::mapping::detail
