#pragma once
// A cheap check that text is a canonical uuid, so a bad id from a caller becomes "not found"
// instead of a PostgreSQL cast error.
#include <string_view>

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

} // namespace sr::host
