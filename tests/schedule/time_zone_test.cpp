// Loading zones: names, files, offsets, and every way loading can fail.
#include <fstream>

#include <catch2/catch.hpp>

#include "schedule_test_support.hpp"

using sr::core::schedule::time_zone;
using sr::test::utc;

namespace {

std::string read_file(const char* path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

TEST_CASE("UTC loads even without a zoneinfo directory") {
    auto loaded = time_zone::load("UTC", "/nonexistent");
    REQUIRE(loaded);
    CHECK(loaded.zone->name() == "UTC");
    CHECK(loaded.zone->offset_at(utc("2026-07-01T00:00:00Z")).count() == 0);
}

TEST_CASE("a zone's offset follows its transitions") {
    auto berlin = sr::test::zone("Europe/Berlin");
    CHECK(berlin.offset_at(utc("2026-01-15T12:00:00Z")).count() == 3600);
    CHECK(berlin.offset_at(utc("2026-07-15T12:00:00Z")).count() == 7200);
    CHECK(berlin.offset_at(utc("2026-03-29T00:59:59Z")).count() == 3600);
    CHECK(berlin.offset_at(utc("2026-03-29T01:00:00Z")).count() == 7200);
    auto kathmandu = sr::test::zone("Asia/Kathmandu");
    CHECK(kathmandu.offset_at(utc("2026-07-15T12:00:00Z")).count() == 5 * 3600 + 45 * 60);
}

TEST_CASE("a zone reports its next offset change") {
    auto new_york = sr::test::zone("America/New_York");
    auto next = new_york.next_transition(utc("2026-01-01T00:00:00Z"));
    REQUIRE(next);
    CHECK(sr::test::iso(*next) == "2026-03-08T07:00:00Z");
    auto far = new_york.next_transition(utc("2050-01-01T00:00:00Z")); // from the footer rule
    REQUIRE(far);
    CHECK(sr::test::iso(*far) == "2050-03-13T07:00:00Z");
}

TEST_CASE("an unknown zone is refused with a clear message") {
    auto loaded = time_zone::load("Mars/Olympus_Mons");
    CHECK_FALSE(loaded);
    CHECK(loaded.error == "unknown time zone 'Mars/Olympus_Mons'");
}

TEST_CASE("zone names that could escape the zoneinfo directory are refused before any file is read") {
    for (const char* name : {"../../etc/passwd", "/etc/passwd", "Europe/../../etc/passwd", "", "Europe/", "a b",
                             "Europe//Berlin"}) {
        auto loaded = time_zone::load(name);
        CHECK_FALSE(loaded);
        CHECK(loaded.error == "'" + std::string(name) + "' is not a valid time zone name");
    }
}

TEST_CASE("a directory inside zoneinfo is not a zone") {
    auto loaded = time_zone::load("Europe");
    CHECK_FALSE(loaded);
    CHECK(loaded.error == "unknown time zone 'Europe'");
}

TEST_CASE("bytes that are not TZif are refused") {
    auto loaded = time_zone::from_tzif("Bad/Zone", "this is not a zone file at all, not even close to one....");
    CHECK_FALSE(loaded);
    CHECK(loaded.error == "time zone 'Bad/Zone': not a TZif file");
}

TEST_CASE("a truncated TZif file is refused") {
    auto bytes = read_file("/usr/share/zoneinfo/Europe/Berlin");
    REQUIRE(bytes.size() > 200);
    auto loaded = time_zone::from_tzif("Europe/Berlin", std::string_view(bytes).substr(0, 200));
    CHECK_FALSE(loaded);
    CHECK(loaded.error == "time zone 'Europe/Berlin': the file is truncated");
}

TEST_CASE("a version 1 TZif file is refused") {
    auto bytes = read_file("/usr/share/zoneinfo/Europe/Berlin");
    REQUIRE(bytes.size() > 44);
    bytes[4] = '\0';
    auto loaded = time_zone::from_tzif("Europe/Berlin", bytes);
    CHECK_FALSE(loaded);
    CHECK(loaded.error == "time zone 'Europe/Berlin': version 1 TZif files are not supported (no 64-bit data)");
}

TEST_CASE("a TZif file with an invalid footer is refused") {
    auto bytes = read_file("/usr/share/zoneinfo/Europe/Berlin");
    auto footer = bytes.rfind("CET-1CEST");
    REQUIRE(footer != std::string::npos);
    bytes.replace(footer, 9, "CET+x1CES");
    auto loaded = time_zone::from_tzif("Europe/Berlin", bytes);
    CHECK_FALSE(loaded);
    CHECK(loaded.error.find("the footer TZ string 'CET+x1CES") != std::string::npos);
}
