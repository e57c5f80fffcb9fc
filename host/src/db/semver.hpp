#pragma once
// Semantic versions (semver.org 2.0.0): parsing and precedence, for ordering plugin versions.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sr::host {

struct semver {
    std::uint32_t major = 0, minor = 0, patch = 0;
    std::string prerelease;  // "" for a release, else e.g. "rc.1"
    std::string build;       // metadata after '+'; ignored by precedence

    // nullopt unless `text` is exactly MAJOR.MINOR.PATCH[-pre][+build] with no leading zeros.
    static std::optional<semver> parse(std::string_view text);
};

// Precedence per semver 2.0.0 section 11: a pre-release sorts before its release, build
// metadata does not count (so two versions differing only in build compare equal).
std::strong_ordering compare(const semver& a, const semver& b);

} // namespace sr::host
