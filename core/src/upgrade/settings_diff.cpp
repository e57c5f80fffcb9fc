#include "sr/core/upgrade/settings_diff.hpp"

#include <algorithm>
#include <cctype>

#include <boost/json.hpp>
#include <fmt/format.h>

namespace sr::core::upgrade {

namespace json = boost::json;

namespace {

// Member names that are plain identifiers read as `.name`; anything else is quoted.
std::string member_path(const std::string& base, std::string_view key) {
    bool plain = !key.empty();
    for (char c : key)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) plain = false;
    if (plain) return fmt::format("{}.{}", base, key);
    return fmt::format("{}[{}]", base, json::serialize(json::value(json::string(key))));
}

class differ {
public:
    std::vector<setting_change> changes;

    void compare(const std::string& path, const json::value& a, const json::value& b, int depth) {
        // Settings are bounded by the API's body limit; the depth bound keeps hostile nesting
        // from exhausting the stack, reporting the deep subtree as one change.
        if (depth < max_depth && a.is_object() && b.is_object()) return compare_objects(path, a.get_object(), b.get_object(), depth);
        if (depth < max_depth && a.is_array() && b.is_array()) return compare_arrays(path, a.get_array(), b.get_array(), depth);
        if (a != b) changes.push_back({path, change_kind::changed, a, b});
    }

private:
    static constexpr int max_depth = 64;

    void compare_objects(const std::string& path, const json::object& a, const json::object& b, int depth) {
        for (const auto& [key, value] : a) {
            auto sub = member_path(path, key);
            if (auto* other = b.if_contains(key)) compare(sub, value, *other, depth + 1);
            else changes.push_back({sub, change_kind::removed, value, nullptr});
        }
        for (const auto& [key, value] : b)
            if (!a.contains(key)) changes.push_back({member_path(path, key), change_kind::added, nullptr, value});
    }

    void compare_arrays(const std::string& path, const json::array& a, const json::array& b, int depth) {
        const std::size_t common = std::min(a.size(), b.size());
        for (std::size_t i = 0; i < common; ++i) compare(fmt::format("{}[{}]", path, i), a[i], b[i], depth + 1);
        for (std::size_t i = common; i < a.size(); ++i)
            changes.push_back({fmt::format("{}[{}]", path, i), change_kind::removed, a[i], nullptr});
        for (std::size_t i = common; i < b.size(); ++i)
            changes.push_back({fmt::format("{}[{}]", path, i), change_kind::added, nullptr, b[i]});
    }
};

} // namespace

std::vector<setting_change> diff_settings(const json::value& before, const json::value& after) {
    differ d;
    d.compare("settings", before, after, 0);
    return std::move(d.changes);
}

const char* to_string(change_kind kind) {
    switch (kind) {
    case change_kind::added: return "added";
    case change_kind::removed: return "removed";
    case change_kind::changed: return "changed";
    }
    return "changed";
}

} // namespace sr::core::upgrade
