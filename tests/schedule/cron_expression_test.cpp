// Parsing: what is accepted and the message for each kind of bad input.
#include <catch2/catch.hpp>

#include "schedule_test_support.hpp"

using sr::test::cron;
using sr::test::next_after;
using sr::test::parse_error;

TEST_CASE("a five-field expression matches minute, hour, day, month and weekday") {
    auto expr = cron("30 9 15 6 *");
    CHECK(expr.minute_matches(30));
    CHECK_FALSE(expr.minute_matches(31));
    CHECK(expr.hour_matches(9));
    CHECK(expr.month_matches(6));
    CHECK(expr.day_matches(15, 3));
    CHECK_FALSE(expr.day_matches(16, 3));
    CHECK(expr.second_matches(0));
    CHECK_FALSE(expr.second_matches(1));
    CHECK_FALSE(expr.has_seconds());
}

TEST_CASE("a six-field expression has seconds first") {
    auto expr = cron("15,45 * * * * *");
    CHECK(expr.has_seconds());
    CHECK(expr.second_matches(15));
    CHECK(expr.second_matches(45));
    CHECK_FALSE(expr.second_matches(0));
}

TEST_CASE("lists, ranges and steps expand to the right values") {
    auto expr = cron("5-20/5,58 */6 1-3,10 * *");
    for (unsigned m : {5u, 10u, 15u, 20u, 58u}) CHECK(expr.minute_matches(m));
    for (unsigned m : {0u, 6u, 21u, 25u, 59u}) CHECK_FALSE(expr.minute_matches(m));
    for (unsigned h : {0u, 6u, 12u, 18u}) CHECK(expr.hour_matches(h));
    CHECK_FALSE(expr.hour_matches(3));
    CHECK(expr.day_matches(2, 0));
    CHECK(expr.day_matches(10, 0));
    CHECK_FALSE(expr.day_matches(4, 0));
}

TEST_CASE("a value with a step runs from that value to the end of the field") {
    auto expr = cron("50/4 * * * *");
    CHECK(expr.minute_matches(50));
    CHECK(expr.minute_matches(54));
    CHECK(expr.minute_matches(58));
    CHECK_FALSE(expr.minute_matches(52));
    CHECK_FALSE(expr.minute_matches(2));
}

TEST_CASE("month and weekday names are accepted in any case, also in ranges") {
    auto expr = cron("0 9 * jan-MAR Mon-fri");
    CHECK(expr.month_matches(1));
    CHECK(expr.month_matches(3));
    CHECK_FALSE(expr.month_matches(4));
    CHECK(next_after("0 9 * JAN-MAR MON-FRI", "2026-03-31T09:00:00Z") == "2027-01-01T09:00:00Z");
}

TEST_CASE("day-of-week 7 is Sunday, alone and at the end of a range") {
    CHECK(next_after("0 0 * * 7", "2026-11-22T00:00:00Z") == "2026-11-29T00:00:00Z");
    auto expr = cron("0 0 * * 5-7");
    CHECK(expr.day_matches(1, 0)); // restricted weekday, unrestricted day: the weekday decides
    CHECK(expr.day_matches(1, 5));
    CHECK(expr.day_matches(1, 6));
    CHECK_FALSE(expr.day_matches(1, 1));
}

TEST_CASE("the macros expand to their five-field meaning") {
    CHECK(next_after("@hourly", "2026-11-22T10:15:00Z") == "2026-11-22T11:00:00Z");
    CHECK(next_after("@daily", "2026-11-22T10:15:00Z") == "2026-11-23T00:00:00Z");
    CHECK(next_after("@midnight", "2026-11-22T10:15:00Z") == "2026-11-23T00:00:00Z");
    CHECK(next_after("@weekly", "2026-11-23T10:15:00Z") == "2026-11-29T00:00:00Z");
    CHECK(next_after("@monthly", "2026-11-22T10:15:00Z") == "2026-12-01T00:00:00Z");
    CHECK(next_after("@yearly", "2026-11-22T10:15:00Z") == "2027-01-01T00:00:00Z");
    CHECK(next_after("@annually", "2026-11-22T10:15:00Z") == "2027-01-01T00:00:00Z");
}

TEST_CASE("surrounding and repeated whitespace between fields is ignored") {
    CHECK(parse_error("  0\t9   * * *  ") == "parsed");
}

TEST_CASE("an empty or blank expression is refused") {
    CHECK(parse_error("") == "expression: the expression is empty");
    CHECK(parse_error("   \t ") == "expression: the expression is empty");
}

TEST_CASE("too few or too many fields are refused with the count") {
    CHECK(parse_error("* * * *") ==
          "expression: expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got 4");
    CHECK(parse_error("* * * * * * *") ==
          "expression: expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got 7");
}

TEST_CASE("each field out of range is refused, naming the field and its range") {
    CHECK(parse_error("60 * * * * *") == "second: 60 is out of range 0-59");
    CHECK(parse_error("60 * * * *") == "minute: 60 is out of range 0-59");
    CHECK(parse_error("* 24 * * *") == "hour: 24 is out of range 0-23");
    CHECK(parse_error("* * 0 * *") == "day-of-month: 0 is out of range 1-31");
    CHECK(parse_error("* * 32 * *") == "day-of-month: 32 is out of range 1-31");
    CHECK(parse_error("* * * 0 *") == "month: 0 is out of range 1-12");
    CHECK(parse_error("* * * 13 *") == "month: 13 is out of range 1-12");
    CHECK(parse_error("* * * * 8") == "day-of-week: 8 is out of range 0-7");
    CHECK(parse_error("99999999999999999999 * * * *") == "minute: 99999999999999999999 is out of range 0-59");
}

TEST_CASE("garbage in a field is refused as not a number or name") {
    CHECK(parse_error("hello world foo bar baz") == "minute: 'hello' is not a number");
    CHECK(parse_error("* * * FOO *") == "month: 'FOO' is not a number or name");
    CHECK(parse_error("* * * * SUNDAY") == "day-of-week: 'SUNDAY' is not a number or name");
    CHECK(parse_error("* JAN * * *") == "hour: 'JAN' is not a number");
}

TEST_CASE("malformed lists, ranges and steps are refused") {
    CHECK(parse_error("1,,2 * * * *") == "minute: empty list item");
    CHECK(parse_error("5-1 * * * *") == "minute: range 5-1 runs backwards");
    CHECK(parse_error("*/0 * * * *") == "minute: a step of 0 is not allowed");
    CHECK(parse_error("*/x * * * *") == "minute: step 'x' is not a number");
    CHECK(parse_error("1- * * * *") == "minute: a value is missing");
    CHECK(parse_error("-1 * * * *") == "minute: a value is missing");
}

TEST_CASE("Quartz extensions L, W, # and ? are refused as unsupported") {
    CHECK(parse_error("0 0 L * *") == "day-of-month: 'L' uses L, which is not supported");
    CHECK(parse_error("0 0 15W * *") == "day-of-month: '15W' uses W, which is not supported");
    CHECK(parse_error("0 0 * * 5#3") == "day-of-week: '5#3' uses #, which is not supported");
    CHECK(parse_error("0 0 ? * 1") == "day-of-month: '?' uses ?, which is not supported");
}

TEST_CASE("unknown macros, @reboot and a macro with fields are refused") {
    CHECK(parse_error("@often") == "expression: unknown macro '@often'");
    CHECK(parse_error("@reboot") == "expression: @reboot is not supported");
    CHECK(parse_error("@daily 5") == "expression: a macro such as @daily takes no other fields");
}

TEST_CASE("the parse result names the bad field separately") {
    auto parsed = sr::core::schedule::cron_expression::parse("* * * * 9");
    CHECK_FALSE(parsed);
    CHECK(parsed.field == "day-of-week");
}
