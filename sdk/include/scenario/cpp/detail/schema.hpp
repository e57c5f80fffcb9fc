#pragma once
#include <scenario/cpp/json_arg.hpp>

#include <boost/json.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace sr::sdk::detail {

// A JSON Schema is an object (or, in the 2019+ drafts, a boolean).
inline boost::json::value resolve_schema(const json_arg& arg, const std::string& what) {
    auto value = arg.resolve(what);
    if (!value.is_object() && !value.is_bool()) {
        throw std::invalid_argument(what + ": a JSON Schema must be an object");
    }
    return value;
}

inline std::string quoted(const std::string& s) { return "'" + s + "'"; }

inline boost::json::array to_array(const std::vector<std::string>& items) {
    boost::json::array a;
    for (const auto& item : items) a.emplace_back(item);
    return a;
}

} // namespace sr::sdk::detail
