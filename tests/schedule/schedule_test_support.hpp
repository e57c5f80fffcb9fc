#pragma once
// Readable instants and expectations for the schedule tests: "2026-03-29T01:00:00Z" both ways.
#include <chrono>
#include <string>
#include <string_view>

#include "sr/core/schedule/cron_expression.hpp"
#include "sr/core/schedule/fire_times.hpp"
#include "sr/core/schedule/time_zone.hpp"

namespace sr::test {

std::chrono::sys_seconds utc(std::string_view iso); // "YYYY-MM-DDTHH:MM:SSZ"
std::string iso(std::chrono::sys_seconds instant);

core::schedule::cron_expression cron(std::string_view text); // fails the test when invalid
core::schedule::time_zone zone(std::string_view name);       // fails the test when unknown

// The next slot after `after` as ISO text, or "error: ..." when there is none.
std::string next_after(std::string_view expression, std::string_view after, std::string_view zone_name = "UTC");
// The parse error of `expression`, or "parsed" when it is valid.
std::string parse_error(std::string_view expression);

} // namespace sr::test
