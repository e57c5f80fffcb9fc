#pragma once
// An IANA time zone read from a TZif file (version 2 or later, RFC 8536) under
// /usr/share/zoneinfo: its transitions, and the POSIX TZ rule of the file's footer for instants
// after the last transition. "UTC" works without any file. Leap-second ("right/") zones are
// refused: cron schedules count civil seconds.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sr/core/schedule/posix_tz_rule.hpp"

namespace sr::core::schedule {

struct time_zone_result;

class time_zone {
public:
    // Validates the name (letters, digits, '_', '-', '+', '/'; no "..", not absolute, at most
    // 255 chars) before touching the disk. `root` is overridable for tests only.
    static time_zone_result load(std::string_view name, std::string_view root = "/usr/share/zoneinfo");
    static time_zone utc();
    // Reads TZif bytes already in memory (what load() does after reading the file).
    static time_zone_result from_tzif(std::string_view name, std::string_view bytes);

    const std::string& name() const { return name_; }

    // Local time minus UTC at `instant`.
    std::chrono::seconds offset_at(std::chrono::sys_seconds instant) const;
    // The first instant strictly after `instant` where the offset changes, if any.
    std::optional<std::chrono::sys_seconds> next_transition(std::chrono::sys_seconds instant) const;

    std::chrono::local_seconds to_local(std::chrono::sys_seconds instant) const {
        return std::chrono::local_seconds{instant.time_since_epoch() + offset_at(instant)};
    }

private:
    struct transition {
        int64_t at;      // UTC seconds since the epoch
        int32_t offset;  // seconds east of UTC from `at` on
    };
    std::string name_;
    int32_t initial_offset_ = 0; // before the first transition
    std::vector<transition> transitions_;
    std::optional<posix_tz_rule> footer_;
};

struct time_zone_result {
    std::optional<time_zone> zone;
    std::string error; // on failure: why, naming the zone (e.g. "unknown time zone 'Mars/Base'")
    explicit operator bool() const { return zone.has_value(); }
};

} // namespace sr::core::schedule
