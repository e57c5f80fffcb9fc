#include "json_equal.hpp"

#include <boost/json.hpp>

namespace sr::plugins::router {

namespace {

bool is_number(const boost::json::value& v) { return v.is_int64() || v.is_uint64() || v.is_double(); }

bool numbers_equal(const boost::json::value& a, const boost::json::value& b) {
    // Integers compare exactly (a double cannot hold every int64); a double against an
    // integer compares as doubles.
    if (a.is_int64() && b.is_int64()) return a.get_int64() == b.get_int64();
    if (a.is_uint64() && b.is_uint64()) return a.get_uint64() == b.get_uint64();
    if (a.is_int64() && b.is_uint64()) return a.get_int64() >= 0 && static_cast<uint64_t>(a.get_int64()) == b.get_uint64();
    if (a.is_uint64() && b.is_int64()) return numbers_equal(b, a);
    return a.to_number<double>() == b.to_number<double>();
}

} // namespace

bool json_equal(const boost::json::value& a, const boost::json::value& b) {
    if (is_number(a) && is_number(b)) return numbers_equal(a, b);
    if (a.is_array() && b.is_array()) {
        const auto& x = a.get_array();
        const auto& y = b.get_array();
        if (x.size() != y.size()) return false;
        for (std::size_t i = 0; i < x.size(); ++i) {
            if (!json_equal(x[i], y[i])) return false;
        }
        return true;
    }
    if (a.is_object() && b.is_object()) {
        const auto& x = a.get_object();
        const auto& y = b.get_object();
        if (x.size() != y.size()) return false;
        for (const auto& [key, value] : x) {
            const auto* other = y.if_contains(key);
            if (other == nullptr || !json_equal(value, *other)) return false;
        }
        return true;
    }
    return a == b;
}

} // namespace sr::plugins::router
