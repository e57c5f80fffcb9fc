#pragma once
// A cron expression as Vixie cron reads it: five fields (minute hour day-of-month month
// day-of-week), or six with seconds first; `*`, lists, ranges, steps, month and weekday names
// (JAN-DEC, SUN-SAT, any case), 7 as Sunday, and the @yearly/@annually/@monthly/@weekly/@daily/
// @midnight/@hourly macros. L, W, # and @reboot are refused with a message saying so.
//
// Day rule (Vixie): when both day-of-month and day-of-week are restricted, a day matches if
// EITHER matches ("0 0 13 * 5" is every 13th and every Friday). A field counts as unrestricted
// when it starts with `*` (so "*/2" in day-of-month still ANDs with day-of-week), exactly as
// Vixie's DOM_STAR/DOW_STAR flags do.
#include <bitset>
#include <optional>
#include <string>
#include <string_view>

namespace sr::core::schedule {

struct cron_parse_result;

class cron_expression {
public:
    // Never throws. On failure `error` names the field and says why, e.g.
    // "day-of-month: 32 is out of range 1-31".
    static cron_parse_result parse(std::string_view text);

    bool second_matches(unsigned second) const { return seconds_.test(second); }
    bool minute_matches(unsigned minute) const { return minutes_.test(minute); }
    bool hour_matches(unsigned hour) const { return hours_.test(hour); }
    bool month_matches(unsigned month) const { return months_.test(month); } // 1-12
    // day 1-31, weekday 0-6 (Sunday = 0); applies the OR rule above.
    bool day_matches(unsigned day_of_month, unsigned weekday) const;

    const std::string& text() const { return text_; }
    bool has_seconds() const { return has_seconds_; }

private:
    friend class cron_parser;
    std::string text_;
    bool has_seconds_ = false;
    std::bitset<60> seconds_;
    std::bitset<60> minutes_;
    std::bitset<24> hours_;
    std::bitset<32> days_;     // 1-31
    std::bitset<13> months_;   // 1-12
    std::bitset<7> weekdays_;  // 0-6
    bool days_star_ = false;
    bool weekdays_star_ = false;
};

struct cron_parse_result {
    std::optional<cron_expression> expression; // set on success
    std::string field;                         // on failure: "minute", "day-of-week", ... or "expression"
    std::string error;                         // on failure: "<field>: <why>"
    explicit operator bool() const { return expression.has_value(); }
};

} // namespace sr::core::schedule
