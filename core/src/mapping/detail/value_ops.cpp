#include "value_ops.hpp"

#include <charconv>
#include <cmath>
#include <functional>
#include <limits>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "eval_error.hpp"
#include "sr/core/mapping/limits.hpp"

namespace sr::core::mapping::detail {
namespace {

void check_depth(std::size_t depth) {
    if (depth > limits::max_value_depth)
        throw eval_error(fmt::format("a value nests more than {} levels deep", limits::max_value_depth));
}

[[noreturn]] void too_long(std::size_t limit) {
    throw eval_error(fmt::format("the text would be longer than {} bytes", limit));
}

void append_checked(std::string& out, std::string_view s, std::size_t limit) {
    if (s.size() > limit || out.size() > limit - s.size()) too_long(limit);
    out.append(s);
}

bool equal_at(const json::value& a, const json::value& b, std::size_t depth) {
    check_depth(depth);
    auto na = as_number(a);
    auto nb = as_number(b);
    if (na || nb) {
        if (!na || !nb) return false;
        if (na->is_int && nb->is_int) return na->i == nb->i;
        return na->as_double() == nb->as_double();
    }
    if (a.kind() != b.kind()) return false;
    switch (a.kind()) {
    case json::kind::null: return true;
    case json::kind::bool_: return a.get_bool() == b.get_bool();
    case json::kind::string: return a.get_string() == b.get_string();
    case json::kind::array: {
        const auto& x = a.get_array();
        const auto& y = b.get_array();
        if (x.size() != y.size()) return false;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (!equal_at(x[i], y[i], depth + 1)) return false;
        return true;
    }
    case json::kind::object: {
        const auto& x = a.get_object();
        const auto& y = b.get_object();
        if (x.size() != y.size()) return false;
        for (const auto& member : x) {
            const json::value* other = y.if_contains(member.key());
            if (!other || !equal_at(member.value(), *other, depth + 1)) return false;
        }
        return true;
    }
    default: return false;
    }
}

std::size_t hash_at(const json::value& v, std::size_t depth) {
    check_depth(depth);
    constexpr std::size_t mix = 0x9E3779B97F4A7C15ULL;
    if (auto n = as_number(v)) {
        if (n->is_int) return std::hash<int64_t>{}(n->i);
        double d = n->d;
        if (std::trunc(d) == d && std::abs(d) < 9.2e18) return std::hash<int64_t>{}(static_cast<int64_t>(d));
        return std::hash<double>{}(d);
    }
    switch (v.kind()) {
    case json::kind::null: return 0x6e756c6cULL;
    case json::kind::bool_: return v.get_bool() ? 0x74727565ULL : 0x66616c73ULL;
    case json::kind::string: return std::hash<std::string_view>{}(v.get_string());
    case json::kind::array: {
        std::size_t h = 0xa77a7ULL;
        for (const auto& item : v.get_array()) h = (h ^ hash_at(item, depth + 1)) * mix;
        return h;
    }
    case json::kind::object: {
        std::size_t h = 0x0b1ec7ULL; // a sum, so member order does not matter
        for (const auto& member : v.get_object())
            h += (std::hash<std::string_view>{}(member.key()) * mix) ^ hash_at(member.value(), depth + 1);
        return h;
    }
    default: return 0;
    }
}

std::size_t measure_at(const json::value& v, std::size_t limit, std::size_t depth) {
    check_depth(depth);
    switch (v.kind()) {
    case json::kind::string: return v.get_string().size() + 2;
    case json::kind::array: {
        std::size_t total = 2;
        for (const auto& item : v.get_array()) {
            total += measure_at(item, limit, depth + 1) + 1;
            if (total > limit) return total;
        }
        return total;
    }
    case json::kind::object: {
        std::size_t total = 2;
        for (const auto& member : v.get_object()) {
            total += member.key().size() + 4 + measure_at(member.value(), limit, depth + 1);
            if (total > limit) return total;
        }
        return total;
    }
    default: return 8;
    }
}

void append_string_json(std::string& out, std::string_view s, std::size_t limit) {
    if (s.size() > limit || out.size() + 2 > limit - s.size()) too_long(limit);
    out.push_back('"');
    std::size_t run = 0; // bytes that need no escape, copied at once
    auto flush = [&](std::size_t end) {
        out.append(s.substr(end - run, run));
        run = 0;
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') {
            ++run;
            continue;
        }
        flush(i);
        switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        case '\b': out.append("\\b"); break;
        case '\f': out.append("\\f"); break;
        default: out.append(fmt::format("\\u{:04x}", c)); break;
        }
        if (out.size() > limit) too_long(limit);
    }
    flush(s.size());
    if (out.size() + 1 > limit) too_long(limit);
    out.push_back('"');
}

void append_json_at(std::string& out, const json::value& v, std::size_t limit, std::size_t depth) {
    check_depth(depth);
    switch (v.kind()) {
    case json::kind::string: return append_string_json(out, v.get_string(), limit);
    case json::kind::array: {
        append_checked(out, "[", limit);
        bool first = true;
        for (const auto& item : v.get_array()) {
            if (!first) append_checked(out, ",", limit);
            first = false;
            append_json_at(out, item, limit, depth + 1);
        }
        return append_checked(out, "]", limit);
    }
    case json::kind::object: {
        append_checked(out, "{", limit);
        bool first = true;
        for (const auto& member : v.get_object()) {
            if (!first) append_checked(out, ",", limit);
            first = false;
            append_string_json(out, member.key(), limit);
            append_checked(out, ":", limit);
            append_json_at(out, member.value(), limit, depth + 1);
        }
        return append_checked(out, "}", limit);
    }
    default: {
        std::size_t before = out.size();
        if (auto n = as_number(v)) {
            // JSON has no NaN or infinity; like JSON.stringify, print null.
            if (!n->is_int && !std::isfinite(n->d)) out.append("null");
            else append_number(out, *n);
        } else if (v.is_bool()) {
            out.append(v.get_bool() ? "true" : "false");
        } else {
            out.append("null");
        }
        if (out.size() > limit) {
            out.resize(before);
            too_long(limit);
        }
    }
    }
}

} // namespace

bool truthy(const json::value& v) {
    switch (v.kind()) {
    case json::kind::null: return false;
    case json::kind::bool_: return v.get_bool();
    case json::kind::int64: return v.get_int64() != 0;
    case json::kind::uint64: return v.get_uint64() != 0;
    case json::kind::double_: return v.get_double() != 0 && !std::isnan(v.get_double());
    case json::kind::string: return !v.get_string().empty();
    case json::kind::array: return !v.get_array().empty();
    case json::kind::object: return !v.get_object().empty();
    }
    return false;
}

const char* a_type_name(const json::value& v) {
    switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "a number";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
    }
    return "a value";
}

const char* type_name(const json::value& v) {
    switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "number";
    case json::kind::string: return "string";
    case json::kind::array: return "array";
    case json::kind::object: return "object";
    }
    return "null";
}

std::optional<number> as_number(const json::value& v) {
    switch (v.kind()) {
    case json::kind::int64: return number{true, v.get_int64(), 0};
    case json::kind::uint64: {
        uint64_t u = v.get_uint64();
        if (u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
            return number{true, static_cast<int64_t>(u), 0};
        return number{false, 0, static_cast<double>(u)};
    }
    case json::kind::double_: return number{false, 0, v.get_double()};
    default: return std::nullopt;
    }
}

json::value to_value(number n) { return n.is_int ? json::value(n.i) : finite(n.d); }

json::value finite(double d) {
    if (!std::isfinite(d)) throw eval_error("the result is not a finite number");
    return d;
}

json::value integral_or_double(double d) {
    if (!std::isfinite(d)) throw eval_error("the result is not a finite number");
    if (std::trunc(d) == d && d >= -9.2e18 && d <= 9.2e18) return static_cast<int64_t>(d);
    return d;
}

bool deep_equal(const json::value& a, const json::value& b) { return equal_at(a, b, 0); }

std::size_t hash_value(const json::value& v) { return hash_at(v, 0); }

std::size_t measure(const json::value& v, std::size_t limit) { return measure_at(v, limit, 0); }

void append_number(std::string& out, number n) {
    char buf[64];
    auto result = n.is_int ? std::to_chars(buf, buf + sizeof buf, n.i) : std::to_chars(buf, buf + sizeof buf, n.d);
    out.append(buf, result.ptr);
}

void append_text(std::string& out, const json::value& v, std::size_t limit) {
    if (v.is_string()) return append_checked(out, v.get_string(), limit);
    append_json_at(out, v, limit, 0);
}

void append_json(std::string& out, const json::value& v, std::size_t limit) { append_json_at(out, v, limit, 0); }

} // namespace sr::core::mapping::detail
