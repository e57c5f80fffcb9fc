// Date functions, in UTC, with fixed inputs (now() reads the scope's clock, fixed in tests).
#include <catch2/catch.hpp>

#include "mapping_test_support.hpp"

using namespace sr::test;

TEST_CASE("now reads the scope's clock") {
    CHECK(eval("now()").as_int64() == 1'700'000'000'000);
    map_scope later;
    later.now_ = 1'700'000'000'123;
    CHECK(eval("now()", later).as_int64() == 1'700'000'000'123);
}

TEST_CASE("to_date_ms reads ISO 8601 dates, times, fractions and offsets") {
    CHECK(eval("to_date_ms('2024-03-01')").as_int64() == 1'709'251'200'000);
    CHECK(eval("to_date_ms('2024-03-01T10:20:30.123Z')").as_int64() == 1'709'288'430'123);
    CHECK(eval("to_date_ms('2024-03-01T12:20:30.123+02:00')").as_int64() == 1'709'288'430'123);
    CHECK(eval("to_date_ms('2024-03-01T05:50:30.123-0430')").as_int64() == 1'709'288'430'123);
    CHECK(eval("to_date_ms('2024-03-01 10:20')").as_int64() == 1'709'288'400'000);
    CHECK(eval("to_date_ms('1969-12-31T23:59:59.999Z')").as_int64() == -1);
    CHECK(eval("to_date_ms(1709251200000)").as_int64() == 1'709'251'200'000);
}

TEST_CASE("to_date_ms rejects dates that do not exist and text that is not a date") {
    CHECK(eval_failure("to_date_ms('2023-02-29')") == "{{to_date_ms('2023-02-29')}}: to_date_ms(): '2023-02-29' is not an ISO 8601 date");
    CHECK(eval_failure("to_date_ms('2024-03-01T24:00')") != "");
    CHECK(eval_failure("to_date_ms('yesterday')") == "{{to_date_ms('yesterday')}}: to_date_ms(): 'yesterday' is not an ISO 8601 date");
    CHECK(eval_failure("to_date_ms(true)") ==
          "{{to_date_ms(true)}}: to_date_ms() expects a date (ISO 8601 text or Unix milliseconds), got a boolean");
}

TEST_CASE("format_date writes the default ISO form in UTC") {
    CHECK(eval("format_date(1709288430123)") == json::value("2024-03-01T10:20:30.123Z"));
    CHECK(eval("format_date(now())") == json::value("2023-11-14T22:13:20.000Z"));
    CHECK(eval("format_date(-1)") == json::value("1969-12-31T23:59:59.999Z"));
    CHECK(eval("format_date('2024-03-01T12:00:00+02:00')") == json::value("2024-03-01T10:00:00.000Z"));
}

TEST_CASE("format_date understands its fixed set of specifiers") {
    CHECK(eval("format_date('2024-03-01T10:20:30.123Z', '%Y-%m-%d %H:%M:%S.%L|%y|%e|%j|%I %p|%u %w')") ==
          json::value("2024-03-01 10:20:30.123|24| 1|061|10 AM|5 5"));
    CHECK(eval("format_date('2024-03-01T22:05:00Z', '%a %A %b %B|%F %T|%s|%z %Z|100%%|%I%p')") ==
          json::value("Fri Friday Mar March|2024-03-01 22:05:00|1709330700|+0000 UTC|100%|10PM"));
    CHECK(eval("format_date('2000-01-01T00:00:00Z', '%a %I %p')") == json::value("Sat 12 AM"));
}

TEST_CASE("format_date refuses unknown specifiers and dates beyond year 9999") {
    CHECK(eval_failure("format_date(0, '%q')") == "{{format_date(0, '%q')}}: format_date(): unknown format specifier '%q'");
    CHECK(eval_failure("format_date(0, 'x %')") == "{{format_date(0, 'x %')}}: format_date(): the format ends with a lone '%'");
    CHECK(eval_failure("format_date(253402300800000)") ==
          "{{format_date(253402300800000)}}: format_date(): the date is outside the years 0000 to 9999");
}

TEST_CASE("add_ms and add_days move a date and give milliseconds") {
    CHECK(eval("add_ms('2024-03-01', 1000)").as_int64() == 1'709'251'201'000);
    CHECK(eval("add_days('2024-02-28', 1)").as_int64() == 1'709'164'800'000);
    CHECK(eval("format_date(add_days('2024-03-01', -1), '%F')") == json::value("2024-02-29"));
    CHECK(eval_failure("add_days('2024-03-01', 'a')") ==
          "{{add_days('2024-03-01', 'a')}}: add_days() expects an integer as argument 2, got a string");
    CHECK(eval_failure("add_days('9999-12-31', 1)") == "{{add_days('9999-12-31', 1)}}: add_days(): the date is outside the years 0000 to 9999");
    CHECK(eval_failure("add_ms(0, 9223372036854775807)") != "");
}

TEST_CASE("date_diff_ms subtracts the second date from the first") {
    CHECK(eval("date_diff_ms('2024-03-02', '2024-03-01')").as_int64() == 86'400'000);
    CHECK(eval("date_diff_ms(0, '1970-01-01T00:00:01Z')").as_int64() == -1000);
    CHECK(eval_failure("date_diff_ms('x', 0)") == "{{date_diff_ms('x', 0)}}: date_diff_ms(): 'x' is not an ISO 8601 date");
}
