#include "schedule_test_support.hpp"

#include <cstdio>

#include <catch2/catch.hpp>
#include <fmt/format.h>

namespace sr::test {

using namespace std::chrono;

sys_seconds utc(std::string_view iso_text) {
    int y = 0;
    unsigned mo = 0, d = 0, h = 0, mi = 0, s = 0;
    std::string text(iso_text);
    REQUIRE(std::sscanf(text.c_str(), "%d-%u-%uT%u:%u:%uZ", &y, &mo, &d, &h, &mi, &s) == 6);
    return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s};
}

std::string iso(sys_seconds instant) {
    auto day_start = floor<days>(instant);
    year_month_day ymd{day_start};
    hh_mm_ss hms{instant - day_start};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                       hms.minutes().count(), hms.seconds().count());
}

core::schedule::cron_expression cron(std::string_view text) {
    auto parsed = core::schedule::cron_expression::parse(text);
    INFO(parsed.error);
    REQUIRE(parsed);
    return *parsed.expression;
}

core::schedule::time_zone zone(std::string_view name) {
    auto loaded = core::schedule::time_zone::load(name);
    INFO(loaded.error);
    REQUIRE(loaded);
    return *loaded.zone;
}

std::string next_after(std::string_view expression, std::string_view after, std::string_view zone_name) {
    auto next = core::schedule::next_fire(cron(expression), zone(zone_name), utc(after));
    return next ? iso(*next.at) : "error: " + next.error;
}

std::string parse_error(std::string_view expression) {
    auto parsed = core::schedule::cron_expression::parse(expression);
    return parsed ? "parsed" : parsed.error;
}

} // namespace sr::test
