#pragma once
// Semantic versions (semver.org 2.0): MAJOR.MINOR.PATCH[-prerelease][+build].
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sr::core {

class semver {
public:
    // nullopt unless `text` is exactly a semver 2.0 version (no "v" prefix, no leading zeros
    // in numeric parts, no empty identifiers).
    static std::optional<semver> parse(std::string_view text);

    uint64_t major() const noexcept { return major_; }
    uint64_t minor() const noexcept { return minor_; }
    uint64_t patch() const noexcept { return patch_; }
    const std::vector<std::string>& prerelease() const noexcept { return prerelease_; }
    const std::string& build() const noexcept { return build_; }
    std::string to_string() const;

    // Precedence as semver 2.0 defines it: build metadata is ignored, so 1.0.0+a == 1.0.0+b;
    // a prerelease sorts before its release (1.0.0-rc.1 < 1.0.0).
    friend std::strong_ordering operator<=>(const semver& a, const semver& b) noexcept;
    friend bool operator==(const semver& a, const semver& b) noexcept { return (a <=> b) == 0; }

private:
    uint64_t major_ = 0, minor_ = 0, patch_ = 0;
    std::vector<std::string> prerelease_;
    std::string build_;
};

} // namespace sr::core
