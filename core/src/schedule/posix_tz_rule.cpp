#include "sr/core/schedule/posix_tz_rule.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>

namespace sr::core::schedule {

namespace {

// A cursor over the TZ string; every reader returns false when the text does not fit.
struct reader {
    std::string_view text;
    std::size_t pos = 0;

    bool done() const { return pos >= text.size(); }
    char peek() const { return done() ? '\0' : text[pos]; }
    bool accept(char c) {
        if (peek() != c) return false;
        ++pos;
        return true;
    }

    // "CET" (3+ letters) or "<+1030>" (quoted, may hold digits and signs).
    bool name() {
        if (accept('<')) {
            auto close = text.find('>', pos);
            if (close == std::string_view::npos || close - pos < 3) return false;
            pos = close + 1;
            return true;
        }
        auto start = pos;
        while (!done() && std::isalpha(static_cast<unsigned char>(peek()))) ++pos;
        return pos - start >= 3;
    }

    bool number(int max, int& out) {
        auto start = pos;
        out = 0;
        while (!done() && std::isdigit(static_cast<unsigned char>(peek()))) {
            out = out * 10 + (peek() - '0');
            if (out > max) return false;
            ++pos;
        }
        return pos > start;
    }

    // [+-]hh[:mm[:ss]] as seconds; hours up to `max_hours`.
    bool duration(int max_hours, int32_t& out) {
        int sign = 1;
        if (accept('-')) sign = -1;
        else accept('+');
        int h = 0, m = 0, s = 0;
        if (!number(max_hours, h)) return false;
        if (accept(':')) {
            if (!number(59, m)) return false;
            if (accept(':') && !number(59, s)) return false;
        }
        out = sign * (h * 3600 + m * 60 + s);
        return true;
    }

    bool date(posix_tz_rule::date_rule& rule) {
        using kind = posix_tz_rule::date_rule::kind;
        if (accept('M')) {
            rule.form = kind::month_week_day;
            if (!number(12, rule.month) || rule.month < 1 || !accept('.')) return false;
            if (!number(5, rule.week) || rule.week < 1 || !accept('.')) return false;
            if (!number(6, rule.day)) return false;
        } else if (accept('J')) {
            rule.form = kind::julian_no_leap;
            if (!number(365, rule.day) || rule.day < 1) return false;
        } else {
            rule.form = kind::julian_zero;
            if (!number(365, rule.day)) return false;
        }
        rule.time = 7200;
        if (accept('/')) return duration(167, rule.time);
        return true;
    }
};

bool leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int64_t days_from_civil(int year, unsigned month, unsigned day) {
    using namespace std::chrono;
    return sys_days{std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day}}
        .time_since_epoch()
        .count();
}

// Local midnight (as days since the epoch) of the rule's date in `year`.
int64_t rule_day(const posix_tz_rule::date_rule& rule, int year) {
    using kind = posix_tz_rule::date_rule::kind;
    int64_t jan1 = days_from_civil(year, 1, 1);
    switch (rule.form) {
    case kind::julian_no_leap: {
        int day = rule.day; // 1-365, February 29 never counted
        if (leap(year) && day >= 60) ++day;
        return jan1 + day - 1;
    }
    case kind::julian_zero:
        return jan1 + rule.day;
    case kind::month_week_day:
        break;
    }
    int64_t first = days_from_civil(year, static_cast<unsigned>(rule.month), 1);
    // 1970-01-01 was a Thursday (4).
    int first_weekday = static_cast<int>(((first % 7) + 7 + 4) % 7);
    int64_t day = first + (rule.day - first_weekday + 7) % 7 + 7 * (rule.week - 1);
    int64_t next_month = rule.month == 12 ? days_from_civil(year + 1, 1, 1)
                                          : days_from_civil(year, static_cast<unsigned>(rule.month + 1), 1);
    while (day >= next_month) day -= 7; // week 5 means the last one
    return day;
}

int year_of(int64_t utc_seconds) {
    using namespace std::chrono;
    auto days = sys_days{std::chrono::days{utc_seconds / 86400 - (utc_seconds % 86400 < 0 ? 1 : 0)}};
    return static_cast<int>(year_month_day{days}.year());
}

} // namespace

std::optional<posix_tz_rule> posix_tz_rule::parse(std::string_view text) {
    reader in{text};
    posix_tz_rule rule;
    if (!in.name()) return std::nullopt;
    int32_t std_west = 0;
    if (!in.duration(24, std_west)) return std::nullopt;
    rule.std_offset_ = -std_west; // POSIX counts west of Greenwich as positive
    if (in.done()) return rule;
    if (!in.name()) return std::nullopt;
    rule.dst_offset_ = rule.std_offset_ + 3600;
    if (!in.done() && in.peek() != ',') {
        int32_t dst_west = 0;
        if (!in.duration(24, dst_west)) return std::nullopt;
        rule.dst_offset_ = -dst_west;
    }
    if (in.done()) { // POSIX leaves the default implementation-defined; US rules are the usual one
        rule.start_ = {date_rule::kind::month_week_day, 0, 3, 2, 7200};
        rule.end_ = {date_rule::kind::month_week_day, 0, 11, 1, 7200};
        return rule;
    }
    if (!in.accept(',') || !in.date(rule.start_) || !in.accept(',') || !in.date(rule.end_) || !in.done())
        return std::nullopt;
    return rule;
}

std::vector<posix_tz_rule::change> posix_tz_rule::changes_around(int64_t utc_seconds) const {
    std::vector<change> changes;
    int year = year_of(utc_seconds);
    for (int y = year - 1; y <= year + 1; ++y) {
        // Each change happens at a local time read on the clock in force just before it.
        int64_t start = rule_day(start_, y) * 86400 + start_.time - std_offset_;
        int64_t end = rule_day(end_, y) * 86400 + end_.time - *dst_offset_;
        changes.push_back({start, *dst_offset_});
        changes.push_back({end, std_offset_});
    }
    std::sort(changes.begin(), changes.end(), [](const change& a, const change& b) { return a.at < b.at; });
    return changes;
}

int32_t posix_tz_rule::offset_at(int64_t utc_seconds) const {
    if (!dst_offset_) return std_offset_;
    auto changes = changes_around(utc_seconds);
    int32_t offset = changes.front().offset == std_offset_ ? *dst_offset_ : std_offset_;
    for (const auto& c : changes)
        if (c.at <= utc_seconds) offset = c.offset;
    return offset;
}

std::optional<int64_t> posix_tz_rule::next_transition(int64_t utc_seconds) const {
    if (!dst_offset_ || *dst_offset_ == std_offset_) return std::nullopt;
    for (const auto& c : changes_around(utc_seconds))
        if (c.at > utc_seconds) return c.at;
    return std::nullopt;
}

} // namespace sr::core::schedule
