// next_fire against hand-computed instants: calendar edge cases, then time zones and DST.
#include <catch2/catch.hpp>

#include "schedule_test_support.hpp"

using sr::test::next_after;

TEST_CASE("the next slot is strictly after the given instant") {
    CHECK(next_after("*/15 * * * *", "2026-01-01T00:07:00Z") == "2026-01-01T00:15:00Z");
    CHECK(next_after("*/15 * * * *", "2026-01-01T00:15:00Z") == "2026-01-01T00:30:00Z");
    CHECK(next_after("*/15 * * * *", "2026-01-01T00:14:59Z") == "2026-01-01T00:15:00Z");
}

TEST_CASE("minutes, hours and days carry over into the next day, month and year") {
    CHECK(next_after("0 0 * * *", "2026-12-31T23:59:59Z") == "2027-01-01T00:00:00Z");
    CHECK(next_after("59 23 31 12 *", "2026-12-31T23:59:00Z") == "2027-12-31T23:59:00Z");
    CHECK(next_after("*/10 * * * * *", "2026-01-01T00:00:05Z") == "2026-01-01T00:00:10Z");
    CHECK(next_after("30 0 0 1 1 *", "2026-01-01T00:00:30Z") == "2027-01-01T00:00:30Z");
}

TEST_CASE("February 29 fires only in leap years, skipping century years that are not") {
    CHECK(next_after("0 0 29 2 *", "2026-01-01T00:00:00Z") == "2028-02-29T00:00:00Z");
    CHECK(next_after("0 0 29 2 *", "2096-03-01T00:00:00Z") == "2104-02-29T00:00:00Z");
    CHECK(next_after("0 0 29 2 *", "2000-01-01T00:00:00Z") == "2000-02-29T00:00:00Z");
}

TEST_CASE("day 31 fires only in months that have it") {
    CHECK(next_after("0 0 31 * *", "2026-04-01T00:00:00Z") == "2026-05-31T00:00:00Z");
    CHECK(next_after("0 0 31 * *", "2026-05-31T00:00:00Z") == "2026-07-31T00:00:00Z");
    CHECK(next_after("0 0 30 * *", "2026-01-30T00:00:00Z") == "2026-03-30T00:00:00Z");
}

TEST_CASE("an expression that never matches is an error, not a hang") {
    auto text = next_after("0 12 30 2 *", "2026-01-01T00:00:00Z");
    CHECK(text == "error: '0 12 30 2 *' matches no time within 30 years after 2026-01-01T00:00:00Z in UTC");
    CHECK(next_after("0 0 31 4,6,9,11 *", "2026-01-01T00:00:00Z").rfind("error: ", 0) == 0);
}

TEST_CASE("day-of-month and day-of-week both restricted match either one") {
    // November 2026: the 1st is a Sunday, the 6th and 13th Fridays, the 12th a Thursday.
    CHECK(next_after("0 0 12 * 5", "2026-11-01T00:00:00Z") == "2026-11-06T00:00:00Z");
    CHECK(next_after("0 0 12 * 5", "2026-11-06T00:00:00Z") == "2026-11-12T00:00:00Z");
    CHECK(next_after("0 0 12 * 5", "2026-11-12T00:00:00Z") == "2026-11-13T00:00:00Z");
}

TEST_CASE("a day-of-month starting with a star ANDs with the weekday, as in Vixie cron") {
    // Odd days that are Fridays: not the 6th (even), the 13th.
    CHECK(next_after("0 0 */2 * 5", "2026-11-01T00:00:00Z") == "2026-11-13T00:00:00Z");
}

TEST_CASE("steps over hours fire at each step") {
    CHECK(next_after("0 */6 * * *", "2026-01-01T06:00:00Z") == "2026-01-01T12:00:00Z");
    CHECK(next_after("0 9-17/4 * * *", "2026-01-01T13:00:00Z") == "2026-01-01T17:00:00Z");
    CHECK(next_after("0 9-17/4 * * *", "2026-01-01T17:00:00Z") == "2026-01-02T09:00:00Z");
}

TEST_CASE("local wall time is matched in the schedule's zone") {
    CHECK(next_after("0 9 * * *", "2026-01-10T00:00:00Z", "Europe/Berlin") == "2026-01-10T08:00:00Z");
    CHECK(next_after("0 9 * * *", "2026-07-10T00:00:00Z", "Europe/Berlin") == "2026-07-10T07:00:00Z");
    CHECK(next_after("0 9 * * *", "2026-07-10T00:00:00Z", "America/New_York") == "2026-07-10T13:00:00Z");
}

TEST_CASE("a zone with a quarter-hour offset fires at its local time") {
    CHECK(next_after("0 9 * * *", "2026-01-01T00:00:00Z", "Asia/Kathmandu") == "2026-01-01T03:15:00Z");
    CHECK(next_after("0 0 * * *", "2026-01-01T00:00:00Z", "Asia/Kathmandu") == "2026-01-01T18:15:00Z");
}

TEST_CASE("a local time skipped by spring forward fires once at the end of the gap") {
    // Berlin, 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00Z.
    CHECK(next_after("30 2 * * *", "2026-03-28T12:00:00Z", "Europe/Berlin") == "2026-03-29T01:00:00Z");
    CHECK(next_after("30 2 * * *", "2026-03-29T01:00:00Z", "Europe/Berlin") == "2026-03-30T00:30:00Z");
    // New York, 2026-03-08: 02:00 EST becomes 03:00 EDT at 07:00Z.
    CHECK(next_after("30 2 * * *", "2026-03-07T12:00:00Z", "America/New_York") == "2026-03-08T07:00:00Z");
}

TEST_CASE("several slots inside one spring-forward gap fold into one firing") {
    // 02:00, 02:15, 02:30, 02:45 and 03:00 Berlin time all land on 01:00Z.
    CHECK(next_after("*/15 * * * *", "2026-03-29T00:45:00Z", "Europe/Berlin") == "2026-03-29T01:00:00Z");
    CHECK(next_after("*/15 * * * *", "2026-03-29T01:00:00Z", "Europe/Berlin") == "2026-03-29T01:15:00Z");
}

TEST_CASE("a local time repeated by fall back fires once, at its first occurrence") {
    // Berlin, 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00Z; 02:30 happens at 00:30Z and 01:30Z.
    CHECK(next_after("30 2 * * *", "2026-10-24T12:00:00Z", "Europe/Berlin") == "2026-10-25T00:30:00Z");
    CHECK(next_after("30 2 * * *", "2026-10-25T00:30:00Z", "Europe/Berlin") == "2026-10-26T01:30:00Z");
    // New York, 2026-11-01: 02:00 EDT becomes 01:00 EST at 06:00Z; 01:30 happens at 05:30Z and 06:30Z.
    CHECK(next_after("30 1 * * *", "2026-10-31T12:00:00Z", "America/New_York") == "2026-11-01T05:30:00Z");
    CHECK(next_after("30 1 * * *", "2026-11-01T05:30:00Z", "America/New_York") == "2026-11-02T06:30:00Z");
}

TEST_CASE("frequent slots do not repeat during the fall-back hour") {
    // After 01:30 EDT the next half hour is 02:00 EST (07:00Z): the second pass of 01:00-01:59 is skipped.
    CHECK(next_after("*/30 * * * *", "2026-11-01T05:30:00Z", "America/New_York") == "2026-11-01T07:00:00Z");
    // Asked from inside the second pass, the next slot is still 02:00 EST.
    CHECK(next_after("*/30 * * * *", "2026-11-01T06:10:00Z", "America/New_York") == "2026-11-01T07:00:00Z");
}

TEST_CASE("a half-hour DST shift is honoured at both transitions") {
    // Lord Howe, 2026-10-04: 02:00 (+10:30) becomes 02:30 (+11) at 2026-10-03T15:30Z.
    CHECK(next_after("15 2 * * *", "2026-10-03T00:00:00Z", "Australia/Lord_Howe") == "2026-10-03T15:30:00Z");
    // 2026-04-05: 02:00 (+11) becomes 01:30 (+10:30); 01:45 happens at 14:45Z and 15:15Z.
    CHECK(next_after("45 1 * * *", "2026-04-04T00:00:00Z", "Australia/Lord_Howe") == "2026-04-04T14:45:00Z");
    CHECK(next_after("45 1 * * *", "2026-04-04T14:45:00Z", "Australia/Lord_Howe") == "2026-04-05T15:15:00Z");
}

TEST_CASE("the footer rule drives DST beyond the zone file's last transition") {
    // Berlin, 2040-03-25: 02:00 CET becomes 03:00 CEST at 01:00Z (past the 2037 table end).
    CHECK(next_after("30 2 * * *", "2040-03-24T12:00:00Z", "Europe/Berlin") == "2040-03-25T01:00:00Z");
    CHECK(next_after("0 9 * * *", "2040-07-01T00:00:00Z", "Europe/Berlin") == "2040-07-01T07:00:00Z");
    CHECK(next_after("30 2 * * *", "2040-10-27T12:00:00Z", "Europe/Berlin") == "2040-10-28T00:30:00Z");
}
