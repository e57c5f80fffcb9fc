#pragma once
// UTC dates for the date functions: ISO 8601 text and Unix milliseconds, on the C++20 chrono
// calendar. No locale and no time zone database: names are English, offsets are numeric.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sr::core::mapping::detail {

// 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z, the years four digits can write.
inline constexpr int64_t min_date_ms = -62'167'219'200'000;
inline constexpr int64_t max_date_ms = 253'402'300'799'999;

// "2024-03-01", "2024-03-01T10:20", "2024-03-01T10:20:30.123Z", "... +02:00" (a space may
// replace the T; no offset means UTC). nullopt when the text is not such a date or the date
// does not exist (2023-02-29).
std::optional<int64_t> parse_iso_date(std::string_view text);

// strftime-like, with a fixed set of specifiers (see docs/expressions.md). Returns an error
// message instead of throwing; `out` is bounded by `limit` bytes.
std::optional<std::string> format_date(int64_t ms, std::string_view format, std::string& out, std::size_t limit);

} // namespace sr::core::mapping::detail
