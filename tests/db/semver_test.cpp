#include "db/semver.hpp"

#include <catch2/catch.hpp>

using sr::host::semver;

TEST_CASE("semver parses major, minor, patch, pre-release and build") {
    auto v = semver::parse("1.20.3-rc.1+build.7");
    REQUIRE(v);
    CHECK(v->major == 1);
    CHECK(v->minor == 20);
    CHECK(v->patch == 3);
    CHECK(v->prerelease == "rc.1");
    CHECK(v->build == "build.7");
}

TEST_CASE("semver refuses text that is not a semantic version") {
    for (const char* bad : {"", "1", "1.0", "1.0.0.0", "01.0.0", "1.0.0-", "1.0.0-01", "1.0.0+", "a.b.c",
                            "1.0.0-rc..1", "1.0.0 ", "-1.0.0", "99999999999.0.0"}) {
        INFO(bad);
        CHECK_FALSE(semver::parse(bad));
    }
}

TEST_CASE("semver precedence follows the specification's example order") {
    const char* ordered[] = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                             "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.9.0", "1.10.0", "2.0.0"};
    for (std::size_t i = 1; i < std::size(ordered); ++i) {
        INFO(ordered[i - 1] << " < " << ordered[i]);
        CHECK(std::is_lt(compare(*semver::parse(ordered[i - 1]), *semver::parse(ordered[i]))));
        CHECK(std::is_gt(compare(*semver::parse(ordered[i]), *semver::parse(ordered[i - 1]))));
    }
    CHECK(std::is_eq(compare(*semver::parse("1.0.0+a"), *semver::parse("1.0.0+b"))));
}
