#pragma once
// What changed between two settings values, member by member, each change named by its JSON
// path ("settings.to", "settings.headers[1].name"), so an upgrade can show exactly what a
// plugin's migrate step did to a node.
#include <cstdint>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

namespace sr::core::upgrade {

enum class change_kind : uint8_t { added, removed, changed };

struct setting_change {
    std::string path;          // from "settings"
    change_kind kind = change_kind::changed;
    boost::json::value before; // null when added
    boost::json::value after;  // null when removed
};

// Objects are compared member by member and arrays item by item (recursively); any other
// difference, including a change of type, is one `changed` entry at that path. Members come
// in the order of `before`, then the members only `after` has.
std::vector<setting_change> diff_settings(const boost::json::value& before, const boost::json::value& after);

const char* to_string(change_kind kind);

} // namespace sr::core::upgrade
