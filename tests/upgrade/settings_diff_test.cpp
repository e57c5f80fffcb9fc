// diff_settings: what changed between two settings values, by JSON path.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "sr/core/upgrade/settings_diff.hpp"

using namespace sr::core::upgrade;
namespace json = boost::json;

TEST_CASE("equal settings have no changes") {
    auto v = json::parse(R"({"a": 1, "b": {"c": [1, 2, {"d": null}]}})");
    CHECK(diff_settings(v, v).empty());
}

TEST_CASE("nested members and array items are reported at their own paths") {
    auto before = json::parse(R"({"keep": 1, "headers": [{"name": "a"}, {"name": "b"}], "auth": {"user": "x"}})");
    auto after = json::parse(R"({"keep": 1, "headers": [{"name": "a"}, {"name": "B"}, {"name": "c"}], "auth": {}})");
    auto changes = diff_settings(before, after);
    REQUIRE(changes.size() == 3);
    CHECK(changes[0].path == "settings.headers[1].name");
    CHECK(changes[0].kind == change_kind::changed);
    CHECK(changes[0].before == "b");
    CHECK(changes[0].after == "B");
    CHECK(changes[1].path == "settings.headers[2]");
    CHECK(changes[1].kind == change_kind::added);
    CHECK(changes[2].path == "settings.auth.user");
    CHECK(changes[2].kind == change_kind::removed);
}

TEST_CASE("a change of type is one change at that path") {
    auto changes = diff_settings(json::parse(R"({"port": "80"})"), json::parse(R"({"port": 80})"));
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].path == "settings.port");
    CHECK(to_string(changes[0].kind) == std::string("changed"));
}

TEST_CASE("member names that are not plain identifiers are quoted in the path") {
    auto changes = diff_settings(json::parse(R"({"a.b": 1, "x y": 2})"), json::parse(R"({"a.b": 2, "x y": 2})"));
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].path == R"(settings["a.b"])");
}

TEST_CASE("settings replaced by a value that is not an object are one change of the whole") {
    auto changes = diff_settings(json::parse(R"({"a": 1})"), json::value(nullptr));
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].path == "settings");
}
