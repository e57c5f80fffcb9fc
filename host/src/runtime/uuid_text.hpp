#pragma once
// A cheap check that text is a canonical uuid, so a bad id from a caller becomes "not found"
// instead of a PostgreSQL cast error.
#include <string>
#include <string_view>
#include <vector>

namespace sr::host {

inline bool is_uuid_text(std::string_view s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

// A uuid[] literal for a query parameter ("{a,b}"). Only for ids that came from our own
// queries or passed is_uuid_text: nothing in them needs quoting.
inline std::string uuid_array_literal(const std::vector<std::string>& ids) {
    std::string out = "{";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ',';
        out += ids[i];
    }
    return out + "}";
}

} // namespace sr::host
