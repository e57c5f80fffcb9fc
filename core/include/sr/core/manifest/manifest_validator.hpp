#pragma once
// Checks a plugin manifest (see sdk/docs/manifest.md) and reports every problem at once.
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

namespace sr::core {

struct manifest_problem {
    std::string path;    // where, e.g. "actions[1].dynamic_fields[0].field"; empty for the root
    std::string message; // what is wrong, e.g. "\"tags\" is not a property of settings_schema"
};

// "path: message", or the message alone for the root.
std::string to_string(const manifest_problem& problem);
// All problems joined with "; ".
std::string to_string(const std::vector<manifest_problem>& problems);

class manifest_validator {
public:
    // Empty when the manifest is valid.
    std::vector<manifest_problem> validate(const boost::json::value& manifest) const;
    // As above, after parsing; text that is not JSON gives one problem at the root.
    std::vector<manifest_problem> validate(std::string_view manifest_text) const;
};

} // namespace sr::core
