#include "settings_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

namespace sr::plugins::wordpress {

std::optional<int64_t> json_integer(const boost::json::value& v) {
    if (v.is_int64()) return v.get_int64();
    if (v.is_uint64()) {
        if (v.get_uint64() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
        return static_cast<int64_t>(v.get_uint64());
    }
    if (v.is_double()) {
        const double d = v.get_double();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15) return static_cast<int64_t>(d);
        return std::nullopt;
    }
    if (v.is_string()) {
        const auto s = v.get_string().subview();
        int64_t n = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
        if (!s.empty() && ec == std::errc() && end == s.data() + s.size()) return n;
    }
    return std::nullopt;
}

std::size_t utf8_length(std::string_view text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

const boost::json::value* settings_reader::find(std::string_view name) const {
    const auto* v = settings_.if_contains(name);
    return v == nullptr || v->is_null() ? nullptr : v;
}

void settings_reader::fail(std::string_view name, std::string_view problem) {
    if (!error_) {
        error_ = sdk::result::fatal("action_validation_failed", "settings." + std::string(name) + " " + std::string(problem));
    }
}

std::optional<std::string> settings_reader::text(std::string_view name, std::size_t max_chars, bool required) {
    if (error_) return std::nullopt;
    const auto* v = find(name);
    if (v == nullptr) {
        if (required) fail(name, "is required");
        return std::nullopt;
    }
    if (!v->is_string()) {
        fail(name, "must be a string");
        return std::nullopt;
    }
    std::string s(v->get_string());
    if (required && s.empty()) {
        fail(name, "must not be empty");
        return std::nullopt;
    }
    if (utf8_length(s) > max_chars) {
        fail(name, "must be at most " + std::to_string(max_chars) + " characters");
        return std::nullopt;
    }
    return s;
}

std::optional<std::string> settings_reader::choice(std::string_view name, std::initializer_list<std::string_view> allowed) {
    if (error_) return std::nullopt;
    const auto* v = find(name);
    if (v == nullptr) return std::nullopt;
    if (v->is_string() && std::find(allowed.begin(), allowed.end(), v->get_string().subview()) != allowed.end()) {
        return std::string(v->get_string());
    }
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    fail(name, "must be one of " + list);
    return std::nullopt;
}

std::optional<int64_t> settings_reader::integer(std::string_view name, int64_t min, int64_t max, bool required) {
    if (error_) return std::nullopt;
    const auto* v = find(name);
    if (v == nullptr) {
        if (required) fail(name, "is required");
        return std::nullopt;
    }
    const auto n = json_integer(*v);
    if (!n || *n < min || *n > max) {
        fail(name, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
        return std::nullopt;
    }
    return n;
}

std::optional<bool> settings_reader::boolean(std::string_view name) {
    if (error_) return std::nullopt;
    const auto* v = find(name);
    if (v == nullptr) return std::nullopt;
    if (!v->is_bool()) {
        fail(name, "must be true or false");
        return std::nullopt;
    }
    return v->get_bool();
}

std::optional<std::vector<int64_t>> settings_reader::ids(std::string_view name, std::size_t max_items) {
    if (error_) return std::nullopt;
    const auto* v = find(name);
    if (v == nullptr) return std::nullopt;
    if (!v->is_array()) {
        fail(name, "must be an array of ids");
        return std::nullopt;
    }
    const auto& a = v->get_array();
    if (a.size() > max_items) {
        fail(name, "must have at most " + std::to_string(max_items) + " items");
        return std::nullopt;
    }
    std::vector<int64_t> out;
    for (const auto& item : a) {
        const auto n = json_integer(item);
        if (!n || *n < 1) {
            fail(name, "must hold positive integer ids");
            return std::nullopt;
        }
        if (std::find(out.begin(), out.end(), *n) == out.end()) out.push_back(*n);
    }
    return out;
}

} // namespace sr::plugins::wordpress
