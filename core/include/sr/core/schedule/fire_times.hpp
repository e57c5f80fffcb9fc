#pragma once
// When a cron expression fires in a time zone. The expression matches LOCAL wall-clock time;
// results are UTC instants (whole seconds).
//
// Daylight saving time, as cron users expect:
// - Spring forward: a local time the clock skips (02:30 in Berlin on the last Sunday of March)
//   fires ONCE, at the first instant after the gap (the transition itself, 03:00 local). We
//   chose this over skipping because a daily job at 02:30 would otherwise silently miss a day
//   every year, which is the complaint users raise about the skipping behaviour. Several
//   skipped times of one gap (every 15 minutes) and a slot at the gap's end (03:00) all fold
//   into that one firing: the instant exists once, so the schedule fires once.
// - Fall back: a local time the clock shows twice (01:30 in New York on the first Sunday of
//   November) fires once, at its FIRST occurrence. Its second occurrence is not a slot, so a
//   job never runs twice in one local day for one matching time.
//
// Searches are bounded: an expression with no matching time within `search_years` (such as
// "0 0 30 2 *", February 30) yields an error instead of looping.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sr/core/schedule/cron_expression.hpp"
#include "sr/core/schedule/time_zone.hpp"

namespace sr::core::schedule {

using std::chrono::sys_seconds;

// Far enough to find February 29 in a century year gap (2096 -> 2104).
inline constexpr int search_years = 30;

struct fire_result {
    std::optional<sys_seconds> at;
    std::string error; // set when no slot exists within the search horizon
    explicit operator bool() const { return at.has_value(); }
};

// The first slot strictly after `after`.
fire_result next_fire(const cron_expression& expr, const time_zone& zone, sys_seconds after);

enum class catch_up_policy {
    skip,     // missed slots get no run; only a slot at most `grace` old still runs
    run_once, // one run for all missed slots, stamped with the latest
    run_all   // one run per missed slot, oldest first, at most max_catch_up_runs
};
std::optional<catch_up_policy> parse_catch_up_policy(std::string_view text); // "skip", "run_once", "run_all"
const char* to_string(catch_up_policy policy);

// A bound on run_all so a schedule that was off for months (an every-second expression) cannot
// enqueue millions of runs or take seconds of CPU: the OLDEST 1000 missed slots run, in order,
// the rest are dropped and reported through `dropped` (true).
inline constexpr std::size_t max_catch_up_runs = 1000;

// How late a slot may be seen and still count as on time rather than missed (for skip). A firer
// that checks every second sees due slots well within it.
inline constexpr std::chrono::seconds default_grace{60};

struct due_result {
    std::vector<sys_seconds> runs; // the slot each run is stamped with, oldest first
    sys_seconds next_fire{};       // the first slot strictly after `now`
    bool dropped = false;          // run_all hit max_catch_up_runs, or skip/run_once passed over slots
    std::string error;             // set when no future slot exists within the search horizon
    explicit operator bool() const { return error.empty(); }
};

// Slots strictly after `last_fired` and at or before `now`, turned into runs per `policy`.
// A caller that keeps the next slot (not the last fired one) passes `next_slot - 1s`.
due_result due_slots(const cron_expression& expr, const time_zone& zone, sys_seconds last_fired, sys_seconds now,
                     catch_up_policy policy, std::chrono::seconds grace = default_grace);

} // namespace sr::core::schedule
