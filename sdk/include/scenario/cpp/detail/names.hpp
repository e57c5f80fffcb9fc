#pragma once
// Syntax checks for manifest names, shared with the host's validator's rules
// (sdk/docs/manifest.md). Written by hand to keep <regex> out of every plugin.
#include <cstddef>
#include <string_view>

namespace sr::sdk::detail {

// ^[a-z][a-z0-9_]{0,63}$
constexpr bool is_identifier(std::string_view s) noexcept {
    if (s.empty() || s.size() > 64 || s[0] < 'a' || s[0] > 'z') return false;
    for (char c : s) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    return true;
}

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

constexpr bool is_numeric_identifier(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (char c : s) {
        if (!is_digit(c)) return false;
    }
    return s.size() == 1 || s[0] != '0';
}

// Dot-separated identifiers of [0-9A-Za-z-]; numeric ones without leading zeros when `strict`.
constexpr bool is_dotted_identifiers(std::string_view s, bool strict) noexcept {
    std::size_t start = 0;
    while (true) {
        const std::size_t end = s.find('.', start);
        const std::string_view part = s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (part.empty()) return false;
        bool numeric = true;
        for (char c : part) {
            const bool alnum = is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!alnum && c != '-') return false;
            if (!is_digit(c)) numeric = false;
        }
        if (strict && numeric && !is_numeric_identifier(part)) return false;
        if (end == std::string_view::npos) return true;
        start = end + 1;
    }
}

// Semantic Versioning 2.0: MAJOR.MINOR.PATCH[-prerelease][+build]
constexpr bool is_semver(std::string_view s) noexcept {
    const std::size_t plus = s.find('+');
    if (plus != std::string_view::npos) {
        if (!is_dotted_identifiers(s.substr(plus + 1), false)) return false;
        s = s.substr(0, plus);
    }
    const std::size_t dash = s.find('-');
    if (dash != std::string_view::npos) {
        if (!is_dotted_identifiers(s.substr(dash + 1), true)) return false;
        s = s.substr(0, dash);
    }
    int parts = 0;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = s.find('.', start);
        const std::string_view part = s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (!is_numeric_identifier(part)) return false;
        ++parts;
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return parts == 3;
}

} // namespace sr::sdk::detail
