#pragma once
// One step into a JSON value, as paths and get() take it. A step into anything that has no
// such member or element gives nullptr, which evaluates to null: missing data is not an error.
#include <charconv>
#include <cstdint>
#include <string_view>

#include <boost/json.hpp>

namespace sr::core::mapping::detail {

// Arrays: negative indexes count from the end. Objects: the member named by the digits.
inline const boost::json::value* element(const boost::json::value* v, int64_t index) {
    if (v->is_array()) {
        const boost::json::array& a = v->get_array();
        int64_t n = static_cast<int64_t>(a.size());
        if (index < 0) index += n;
        return index >= 0 && index < n ? &a[static_cast<std::size_t>(index)] : nullptr;
    }
    if (v->is_object()) {
        char buf[24];
        auto r = std::to_chars(buf, buf + sizeof buf, index);
        return v->get_object().if_contains(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
    }
    return nullptr;
}

// Objects: the member. Arrays: a key written in digits ("items.0") is an index.
inline const boost::json::value* member(const boost::json::value* v, std::string_view key) {
    if (v->is_object()) return v->get_object().if_contains(key);
    if (v->is_array() && !key.empty() && key.size() <= 18 && key.find_first_not_of("0123456789") == key.npos) {
        int64_t index = 0;
        std::from_chars(key.data(), key.data() + key.size(), index);
        return element(v, index);
    }
    return nullptr;
}

// "a.b.0.c": dotted steps, as get() and pluck() take them. An empty path is the value itself.
inline const boost::json::value* walk_dotted(const boost::json::value* v, std::string_view dotted) {
    if (dotted.empty()) return v;
    std::size_t start = 0;
    while (v) {
        std::size_t dot = dotted.find('.', start);
        std::string_view key = dotted.substr(start, dot == dotted.npos ? dotted.npos : dot - start);
        v = member(v, key);
        if (dot == dotted.npos) break;
        start = dot + 1;
    }
    return v;
}

} // namespace sr::core::mapping::detail
