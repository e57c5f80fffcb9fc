#pragma once
// Reading WordPress response objects, whose members vary with the context and the site's
// plugins: a missing member reads as a fallback instead of throwing.
#include <boost/json.hpp>

#include <string_view>

namespace sr::plugins::wordpress {

inline boost::json::value member_or(const boost::json::object& o, std::string_view name, boost::json::value fallback) {
    const auto* v = o.if_contains(name);
    return v == nullptr ? fallback : *v;
}

} // namespace sr::plugins::wordpress
