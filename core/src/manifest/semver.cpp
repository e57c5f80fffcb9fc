#include "sr/core/manifest/semver.hpp"

#include <algorithm>
#include <charconv>

namespace sr::core {
namespace {

bool is_digits(std::string_view s) noexcept {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_identifier(std::string_view s) noexcept {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    });
}

// A numeric part: digits, no leading zero (except "0" itself), fits in 64 bits.
std::optional<uint64_t> parse_number(std::string_view s) noexcept {
    if (!is_digits(s) || (s.size() > 1 && s[0] == '0')) return std::nullopt;
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return value;
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

std::strong_ordering compare_identifier(const std::string& a, const std::string& b) noexcept {
    bool a_num = is_digits(a), b_num = is_digits(b);
    if (a_num && b_num) {
        // No leading zeros, so the longer number is the larger one.
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
        auto build = text.substr(plus + 1);
        for (auto id : split(build, '.'))
            if (!is_identifier(id)) return std::nullopt;
        v.build_ = std::string(build);
        text = text.substr(0, plus);
    }
    if (auto dash = text.find('-'); dash != std::string_view::npos) {
        for (auto id : split(text.substr(dash + 1), '.')) {
            if (!is_identifier(id) || (is_digits(id) && !parse_number(id))) return std::nullopt;
            v.prerelease_.emplace_back(id);
        }
        text = text.substr(0, dash);
    }
    auto core = split(text, '.');
    if (core.size() != 3) return std::nullopt;
    auto major = parse_number(core[0]), minor = parse_number(core[1]), patch = parse_number(core[2]);
    if (!major || !minor || !patch) return std::nullopt;
    v.major_ = *major;
    v.minor_ = *minor;
    v.patch_ = *patch;
    return v;
}

std::string semver::to_string() const {
    std::string s = std::to_string(major_) + '.' + std::to_string(minor_) + '.' + std::to_string(patch_);
    for (std::size_t i = 0; i < prerelease_.size(); ++i) s += (i == 0 ? '-' : '.') + prerelease_[i];
    if (!build_.empty()) s += '+' + build_;
    return s;
}

std::strong_ordering operator<=>(const semver& a, const semver& b) noexcept {
    if (auto c = a.major_ <=> b.major_; c != 0) return c;
    if (auto c = a.minor_ <=> b.minor_; c != 0) return c;
    if (auto c = a.patch_ <=> b.patch_; c != 0) return c;
    // A version without prerelease has higher precedence than one with.
    bool a_pre = !a.prerelease_.empty(), b_pre = !b.prerelease_.empty();
    if (!a_pre || !b_pre) return b_pre <=> a_pre;
    auto n = std::min(a.prerelease_.size(), b.prerelease_.size());
    for (std::size_t i = 0; i < n; ++i)
        if (auto c = compare_identifier(a.prerelease_[i], b.prerelease_[i]); c != 0) return c;
    return a.prerelease_.size() <=> b.prerelease_.size();
}

} // namespace sr::core
