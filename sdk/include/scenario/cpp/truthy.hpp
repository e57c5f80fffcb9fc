#pragma once
// Truthiness of a JSON value, as conditions (router.if, router.filter) and the engine's
// expressions read it: null, false, 0, NaN, "", [] and {} are false; everything else is true.
// The string "false" is true: a condition that should compare text must say so.
#include <boost/json/value.hpp>

#include <cmath>

namespace sr::sdk {

inline bool truthy(const boost::json::value& v) noexcept {
    switch (v.kind()) {
    case boost::json::kind::null: return false;
    case boost::json::kind::bool_: return v.get_bool();
    case boost::json::kind::int64: return v.get_int64() != 0;
    case boost::json::kind::uint64: return v.get_uint64() != 0;
    case boost::json::kind::double_: return v.get_double() != 0 && !std::isnan(v.get_double());
    case boost::json::kind::string: return !v.get_string().empty();
    case boost::json::kind::array: return !v.get_array().empty();
    case boost::json::kind::object: return !v.get_object().empty();
    }
    return false;
}

} // namespace sr::sdk
