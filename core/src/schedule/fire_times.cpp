#include "sr/core/schedule/fire_times.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace sr::core::schedule {

namespace {

using namespace std::chrono;

constexpr int64_t day_seconds = 86400;

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

std::string iso(sys_seconds t) {
    auto day = floor<days>(t);
    year_month_day ymd{day};
    hh_mm_ss hms{t - day};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                       hms.minutes().count(), hms.seconds().count());
}

// The first local wall time at or after `from` (seconds since the local epoch) that the
// expression matches, or nullopt past `limit_day`. Each miss jumps to the start of the next
// candidate unit (month, day, hour, minute, second), so a year costs a few hundred steps.
std::optional<int64_t> next_local_match(const cron_expression& expr, int64_t from, int64_t limit_day) {
    int64_t l = from;
    for (;;) {
        int64_t day = floor_div(l, day_seconds);
        if (day > limit_day) return std::nullopt;
        int64_t secs = l - day * day_seconds;
        year_month_day ymd{sys_days{days{day}}};
        auto month = static_cast<unsigned>(ymd.month());
        if (!expr.month_matches(month)) {
            auto next = sys_days{year_month_day{ymd.year() / ymd.month() / 1} + months{1}};
            l = next.time_since_epoch().count() * day_seconds;
            continue;
        }
        weekday wd{sys_days{days{day}}};
        if (!expr.day_matches(static_cast<unsigned>(ymd.day()), wd.c_encoding())) {
            l = (day + 1) * day_seconds;
            continue;
        }
        auto hour = static_cast<unsigned>(secs / 3600);
        if (!expr.hour_matches(hour)) {
            l = day * day_seconds + (hour + 1) * 3600;
            continue;
        }
        auto minute = static_cast<unsigned>(secs % 3600 / 60);
        if (!expr.minute_matches(minute)) {
            l = day * day_seconds + hour * 3600 + (minute + 1) * 60;
            continue;
        }
        if (!expr.second_matches(static_cast<unsigned>(secs % 60))) {
            ++l;
            continue;
        }
        return l;
    }
}

// The UTC instant a local wall time fires at: its first occurrence, or, when the clock skips
// it, the end of the gap (see the header).
int64_t resolve(const time_zone& zone, int64_t local) {
    auto offset = [&](int64_t utc) { return zone.offset_at(sys_seconds{seconds{utc}}).count(); };
    std::array<int64_t, 3> candidates{offset(local - day_seconds), offset(local), offset(local + day_seconds)};
    std::optional<int64_t> first;
    for (auto o : candidates) {
        int64_t utc = local - o;
        if (offset(utc) == o && (!first || utc < *first)) first = utc;
    }
    if (first) return *first;
    auto [lowest, highest] = std::minmax_element(candidates.begin(), candidates.end());
    int64_t before_gap = local - *highest; // still on the old, smaller offset
    auto transition = zone.next_transition(sys_seconds{seconds{before_gap}});
    if (transition) return transition->time_since_epoch().count();
    return local - *lowest;
}

} // namespace

fire_result next_fire(const cron_expression& expr, const time_zone& zone, sys_seconds after) {
    int64_t local = zone.to_local(after).time_since_epoch().count() + 1;
    int64_t limit_day = floor_div(local, day_seconds) + int64_t{search_years} * 366;
    // Each pass either returns or moves `local` forward by at least a second; passes that
    // find an already-past instant only happen inside one DST overlap or gap.
    for (;;) {
        auto match = next_local_match(expr, local, limit_day);
        if (!match) break;
        int64_t utc = resolve(zone, *match);
        if (utc > after.time_since_epoch().count()) return {sys_seconds{seconds{utc}}, {}};
        local = *match + 1;
    }
    return {std::nullopt, fmt::format("'{}' matches no time within {} years after {} in {}", expr.text(),
                                      search_years, iso(after), zone.name())};
}

std::optional<catch_up_policy> parse_catch_up_policy(std::string_view text) {
    if (text == "skip") return catch_up_policy::skip;
    if (text == "run_once") return catch_up_policy::run_once;
    if (text == "run_all") return catch_up_policy::run_all;
    return std::nullopt;
}

const char* to_string(catch_up_policy policy) {
    switch (policy) {
    case catch_up_policy::skip: return "skip";
    case catch_up_policy::run_once: return "run_once";
    case catch_up_policy::run_all: return "run_all";
    }
    return "skip";
}

namespace {

// The latest slot in (from, now]. Looks back through growing windows so that a long downtime
// of a frequent schedule does not walk every missed slot one by one.
std::optional<sys_seconds> latest_slot(const cron_expression& expr, const time_zone& zone, sys_seconds from,
                                       sys_seconds now) {
    constexpr std::array<int64_t, 6> windows{60, 3600, 86400, 32 * 86400, 367 * 86400,
                                             int64_t{search_years} * 366 * 86400};
    constexpr int max_steps = 100000;
    for (auto window : windows) {
        auto start = std::max(from, now - seconds{window});
        std::optional<sys_seconds> latest;
        auto t = start;
        for (int step = 0; step < max_steps; ++step) {
            auto next = next_fire(expr, zone, t);
            if (!next || *next.at > now) break;
            latest = t = *next.at;
        }
        if (latest || start == from) return latest;
    }
    return std::nullopt;
}

} // namespace

due_result due_slots(const cron_expression& expr, const time_zone& zone, sys_seconds last_fired, sys_seconds now,
                     catch_up_policy policy, seconds grace) {
    due_result result;
    auto upcoming = next_fire(expr, zone, std::max(now, last_fired));
    if (!upcoming) {
        result.error = upcoming.error;
        return result;
    }
    result.next_fire = *upcoming.at;
    if (last_fired >= now) return result;
    if (policy == catch_up_policy::run_all) {
        auto t = last_fired;
        for (;;) {
            auto next = next_fire(expr, zone, t);
            if (!next || *next.at > now) break;
            if (result.runs.size() == max_catch_up_runs) {
                result.dropped = true;
                break;
            }
            result.runs.push_back(t = *next.at);
        }
        return result;
    }
    auto latest = latest_slot(expr, zone, last_fired, now);
    if (!latest) return result;
    bool on_time = *latest >= now - grace;
    if (policy == catch_up_policy::run_once || on_time) result.runs.push_back(*latest);
    auto first = next_fire(expr, zone, last_fired);
    result.dropped = !on_time && policy == catch_up_policy::skip ? true : (first && *first.at != *latest);
    return result;
}

} // namespace sr::core::schedule
