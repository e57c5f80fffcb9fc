#pragma once
// The two time formats WordPress work needs: HTTP dates (Retry-After) and WordPress's own
// "YYYY-MM-DDTHH:MM:SS" (no zone; `date_gmt` is UTC, `date` the site's local time).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sr::plugins::wordpress {

// An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT", RFC 9110) as Unix seconds.
std::optional<int64_t> parse_http_date(std::string_view text);

// "YYYY-MM-DDTHH:MM:SS" (a fraction or a trailing 'Z' is tolerated) as seconds since the
// epoch, treating the fields as UTC; nullopt for anything else.
std::optional<int64_t> parse_wp_date(std::string_view text);

// The inverse of parse_wp_date: "YYYY-MM-DDTHH:MM:SS".
std::string format_wp_date(int64_t seconds);

int64_t now_unix_ms();

} // namespace sr::plugins::wordpress
