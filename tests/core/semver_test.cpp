// semver: parsing and precedence per semver.org 2.0.
#include <catch2/catch.hpp>

#include "sr/core/manifest/semver.hpp"

using sr::core::semver;

namespace {
semver v(const char* text) {
    auto parsed = semver::parse(text);
    REQUIRE(parsed);
    return *parsed;
}
} // namespace

TEST_CASE("a plain version parses into its three numbers") {
    auto version = v("1.22.333");
    CHECK(version.major() == 1);
    CHECK(version.minor() == 22);
    CHECK(version.patch() == 333);
    CHECK(version.prerelease().empty());
    CHECK(version.build().empty());
}

TEST_CASE("prerelease identifiers and build metadata are kept") {
    auto version = v("2.0.0-rc.1-x+build.007");
    CHECK(version.prerelease() == std::vector<std::string>{"rc", "1-x"});
    CHECK(version.build() == "build.007");
    CHECK(version.to_string() == "2.0.0-rc.1-x+build.007");
}

TEST_CASE("malformed versions are rejected") {
    for (const char* bad : {"", "1", "1.0", "1.0.0.0", "01.0.0", "1.02.0", "1.0.00", "v1.0.0", "1.0.0-",
                            "1.0.0+", "1.0.0-rc..1", "1.0.0-01", "1.0.0-rc_1", "1.0.0+b..1", " 1.0.0", "1.0.0 ",
                            "1.-1.0", "a.b.c", "1..0", "99999999999999999999.0.0", "1.0.0-rc+", "1.0.0+a+b"}) {
        INFO(bad);
        CHECK_FALSE(semver::parse(bad));
    }
}

TEST_CASE("numeric parts compare as numbers, not text") {
    CHECK(v("1.10.0") > v("1.9.0"));
    CHECK(v("2.0.0") > v("1.99.99"));
    CHECK(v("1.0.10") > v("1.0.9"));
}

TEST_CASE("a prerelease sorts before its release") {
    CHECK(v("1.0.0-alpha") < v("1.0.0"));
    CHECK(v("1.0.0") > v("1.0.0-rc.99"));
}

TEST_CASE("prereleases follow the semver 2.0 precedence example") {
    const char* ordered[] = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                             "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"};
    for (std::size_t i = 0; i + 1 < std::size(ordered); ++i) {
        INFO(ordered[i] << " < " << ordered[i + 1]);
        CHECK(v(ordered[i]) < v(ordered[i + 1]));
        CHECK(v(ordered[i + 1]) > v(ordered[i]));
    }
}

TEST_CASE("build metadata does not affect precedence") {
    CHECK(v("1.0.0+a") == v("1.0.0+b"));
    CHECK(v("1.0.0+a") == v("1.0.0"));
    CHECK(std::is_eq(v("1.0.0-rc.1+x") <=> v("1.0.0-rc.1")));
}
