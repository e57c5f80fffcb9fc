#pragma once
// Timestamps as scenarios write them, turned into Unix milliseconds.
#include <cstdint>
#include <optional>
#include <string_view>

namespace sr::plugins::system {

// An ISO 8601 / RFC 3339 date-time with a time zone, e.g. "2030-01-02T03:04:05Z",
// "2030-01-02T03:04:05.250+02:00" or "2030-01-02T03:04Z" ('T' may be 't' or a space; 'Z' may
// be 'z'; fractions beyond milliseconds are truncated). Years 1970-9999. Nothing else: a
// time without a zone is ambiguous and gives nullopt, as does an impossible date or time.
std::optional<int64_t> parse_utc_timestamp_ms(std::string_view text);

} // namespace sr::plugins::system
