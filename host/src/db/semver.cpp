#include "db/semver.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <vector>

namespace sr::host {
namespace {

bool is_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_identifier_char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

// A numeric core part: digits, no leading zero, fits in uint32 (we store it as a PostgreSQL integer).
std::optional<std::uint32_t> parse_number(std::string_view s) {
    if (!is_digits(s) || (s.size() > 1 && s[0] == '0')) return std::nullopt;
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max())) return std::nullopt;
    return static_cast<std::uint32_t>(value);
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> parts;
    for (;;) {
        auto pos = s.find(sep);
        parts.push_back(s.substr(0, pos));
        if (pos == std::string_view::npos) return parts;
        s.remove_prefix(pos + 1);
    }
}

// Dot-separated identifiers of [0-9A-Za-z-]; numeric pre-release identifiers have no leading zero.
bool valid_identifiers(std::string_view s, bool numeric_rule) {
    for (auto id : split(s, '.')) {
        if (id.empty() || !std::all_of(id.begin(), id.end(), is_identifier_char)) return false;
        if (numeric_rule && is_digits(id) && id.size() > 1 && id[0] == '0') return false;
    }
    return true;
}

std::strong_ordering compare_identifier(std::string_view a, std::string_view b) {
    bool a_num = is_digits(a), b_num = is_digits(b);
    if (a_num && b_num) {
        // No leading zeros, so the longer number is larger; equal lengths compare as text.
        if (a.size() != b.size()) return a.size() <=> b.size();
        return a.compare(b) <=> 0;
    }
    if (a_num != b_num) return a_num ? std::strong_ordering::less : std::strong_ordering::greater;
    return a.compare(b) <=> 0;
}

} // namespace

std::optional<semver> semver::parse(std::string_view text) {
    semver v;
    if (auto plus = text.find('+'); plus != std::string_view::npos) {
        v.build = std::string(text.substr(plus + 1));
        if (!valid_identifiers(v.build, false)) return std::nullopt;
        text = text.substr(0, plus);
    }
    if (auto dash = text.find('-'); dash != std::string_view::npos) {
        v.prerelease = std::string(text.substr(dash + 1));
        if (!valid_identifiers(v.prerelease, true)) return std::nullopt;
        text = text.substr(0, dash);
    }
    auto core = split(text, '.');
    if (core.size() != 3) return std::nullopt;
    auto major = parse_number(core[0]), minor = parse_number(core[1]), patch = parse_number(core[2]);
    if (!major || !minor || !patch) return std::nullopt;
    v.major = *major;
    v.minor = *minor;
    v.patch = *patch;
    return v;
}

std::strong_ordering compare(const semver& a, const semver& b) {
    if (auto c = a.major <=> b.major; c != 0) return c;
    if (auto c = a.minor <=> b.minor; c != 0) return c;
    if (auto c = a.patch <=> b.patch; c != 0) return c;
    if (a.prerelease.empty() || b.prerelease.empty()) {
        if (a.prerelease.empty() && b.prerelease.empty()) return std::strong_ordering::equal;
        return a.prerelease.empty() ? std::strong_ordering::greater : std::strong_ordering::less;
    }
    auto pa = split(a.prerelease, '.'), pb = split(b.prerelease, '.');
    for (std::size_t i = 0; i < pa.size() && i < pb.size(); ++i) {
        if (auto c = compare_identifier(pa[i], pb[i]); c != 0) return c;
    }
    return pa.size() <=> pb.size();
}

} // namespace sr::host
