#pragma once
// The POSIX TZ string that ends a TZif file, e.g. "CET-1CEST,M3.5.0,M10.5.0/3" or
// "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0": a standard offset and, optionally, a daylight
// offset with the rule saying when each starts every year (RFC 8536 section 3.3 extensions:
// hours from -167 to 167 in rule times).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sr::core::schedule {

class posix_tz_rule {
public:
    // nullopt when the text is not a valid TZ string.
    static std::optional<posix_tz_rule> parse(std::string_view text);

    // Offsets in seconds east of UTC.
    int32_t offset_at(int64_t utc_seconds) const;
    // The first change strictly after `utc_seconds`, if the rule has daylight time.
    std::optional<int64_t> next_transition(int64_t utc_seconds) const;

    struct date_rule {
        enum class kind { julian_no_leap, julian_zero, month_week_day } form = kind::month_week_day;
        int day = 0;          // Jn: 1-365, n: 0-365, Mm.w.d: d (0 = Sunday)
        int month = 0;        // Mm.w.d
        int week = 0;         // Mm.w.d: 1-5 (5 = last)
        int32_t time = 7200;  // local seconds after midnight, may be negative or > 24h
    };

private:
    struct change {
        int64_t at;
        int32_t offset;
    };
    std::vector<change> changes_around(int64_t utc_seconds) const; // years -1..+1, sorted

    int32_t std_offset_ = 0;
    std::optional<int32_t> dst_offset_;
    date_rule start_;
    date_rule end_;
};

} // namespace sr::core::schedule
