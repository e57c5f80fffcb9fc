// Catch-up after downtime: which missed slots become runs under each policy.
#include <catch2/catch.hpp>

#include "schedule_test_support.hpp"

using namespace sr::core::schedule;
using sr::test::cron;
using sr::test::iso;
using sr::test::utc;

namespace {

std::vector<std::string> isos(const std::vector<sys_seconds>& instants) {
    std::vector<std::string> out;
    for (auto t : instants) out.push_back(iso(t));
    return out;
}

due_result hourly_after_downtime(catch_up_policy policy) {
    // Last fired at midnight; the host was down until 05:30, missing 01:00 through 05:00.
    return due_slots(cron("0 * * * *"), time_zone::utc(), utc("2026-01-01T00:00:00Z"),
                     utc("2026-01-01T05:30:00Z"), policy);
}

} // namespace

TEST_CASE("skip runs none of the missed slots and moves to the first slot after now") {
    auto due = hourly_after_downtime(catch_up_policy::skip);
    REQUIRE(due);
    CHECK(due.runs.empty());
    CHECK(iso(due.next_fire) == "2026-01-01T06:00:00Z");
    CHECK(due.dropped);
}

TEST_CASE("skip still runs a slot that is due now, within the grace period") {
    auto due = due_slots(cron("0 * * * *"), time_zone::utc(), utc("2026-01-01T04:59:59Z"),
                         utc("2026-01-01T05:00:01Z"), catch_up_policy::skip);
    CHECK(isos(due.runs) == std::vector<std::string>{"2026-01-01T05:00:00Z"});
    CHECK(iso(due.next_fire) == "2026-01-01T06:00:00Z");
    CHECK_FALSE(due.dropped);
}

TEST_CASE("run_once runs once for all missed slots, stamped with the latest") {
    auto due = hourly_after_downtime(catch_up_policy::run_once);
    CHECK(isos(due.runs) == std::vector<std::string>{"2026-01-01T05:00:00Z"});
    CHECK(iso(due.next_fire) == "2026-01-01T06:00:00Z");
    CHECK(due.dropped);
}

TEST_CASE("run_all runs every missed slot, oldest first") {
    auto due = hourly_after_downtime(catch_up_policy::run_all);
    CHECK(isos(due.runs) == std::vector<std::string>{"2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z",
                                                     "2026-01-01T03:00:00Z", "2026-01-01T04:00:00Z",
                                                     "2026-01-01T05:00:00Z"});
    CHECK(iso(due.next_fire) == "2026-01-01T06:00:00Z");
    CHECK_FALSE(due.dropped);
}

TEST_CASE("run_all stops at the documented maximum and says so") {
    auto due = due_slots(cron("* * * * * *"), time_zone::utc(), utc("2026-01-01T00:00:00Z"),
                         utc("2026-01-01T02:00:00Z"), catch_up_policy::run_all);
    REQUIRE(due.runs.size() == max_catch_up_runs);
    CHECK(iso(due.runs.front()) == "2026-01-01T00:00:01Z");
    CHECK(iso(due.runs.back()) == "2026-01-01T00:16:40Z");
    CHECK(due.dropped);
    CHECK(iso(due.next_fire) == "2026-01-01T02:00:01Z");
}

TEST_CASE("run_once after a long downtime of a frequent schedule finds the latest slot quickly") {
    auto due = due_slots(cron("*/5 * * * * *"), time_zone::utc(), utc("2025-01-01T00:00:00Z"),
                         utc("2026-01-01T00:00:07Z"), catch_up_policy::run_once);
    CHECK(isos(due.runs) == std::vector<std::string>{"2026-01-01T00:00:05Z"});
}

TEST_CASE("run_once finds a yearly slot missed long ago") {
    auto due = due_slots(cron("@yearly"), time_zone::utc(), utc("2020-06-01T00:00:00Z"),
                         utc("2026-06-01T00:00:00Z"), catch_up_policy::run_once);
    CHECK(isos(due.runs) == std::vector<std::string>{"2026-01-01T00:00:00Z"});
    CHECK(iso(due.next_fire) == "2027-01-01T00:00:00Z");
}

TEST_CASE("no slot is due when now is not past the last firing") {
    auto due = due_slots(cron("* * * * *"), time_zone::utc(), utc("2026-01-01T00:05:00Z"),
                         utc("2026-01-01T00:05:00Z"), catch_up_policy::run_all);
    CHECK(due.runs.empty());
    CHECK(iso(due.next_fire) == "2026-01-01T00:06:00Z");
}

TEST_CASE("catch-up counts local slots across a DST change once each") {
    // New York fall back: 00:30, 01:30 (first pass only) and 02:30 EST are the missed slots.
    auto due = due_slots(cron("30 * * * *"), sr::test::zone("America/New_York"), utc("2026-11-01T04:00:00Z"),
                         utc("2026-11-01T07:45:00Z"), catch_up_policy::run_all);
    CHECK(isos(due.runs) == std::vector<std::string>{"2026-11-01T04:30:00Z", "2026-11-01T05:30:00Z",
                                                     "2026-11-01T07:30:00Z"});
}

TEST_CASE("an expression that can never fire reports an error instead of slots") {
    auto due = due_slots(cron("0 0 30 2 *"), time_zone::utc(), utc("2026-01-01T00:00:00Z"),
                         utc("2026-06-01T00:00:00Z"), catch_up_policy::run_all);
    CHECK_FALSE(due);
    CHECK(due.error.find("matches no time") != std::string::npos);
}

TEST_CASE("catch-up policy names parse and print") {
    CHECK(parse_catch_up_policy("run_once") == catch_up_policy::run_once);
    CHECK(parse_catch_up_policy("run_all") == catch_up_policy::run_all);
    CHECK(parse_catch_up_policy("skip") == catch_up_policy::skip);
    CHECK_FALSE(parse_catch_up_policy("sometimes"));
    CHECK(std::string(to_string(catch_up_policy::run_all)) == "run_all");
}
