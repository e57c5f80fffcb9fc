#pragma once
// How expressions appear in messages: "{{trigger.body.amount * 2}}: <reason>".
#include <string>
#include <string_view>

namespace sr::core::mapping::detail {

inline bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

inline std::string_view trim(std::string_view s) {
    while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
    return s;
}

// The expression (its first 80 bytes when longer) in braces, then the reason.
std::string runtime_message(std::string_view expression, std::string_view reason);

} // namespace sr::core::mapping::detail
