#pragma once
// Small helpers shared by the repositories: checks made before a value reaches SQL (so bad
// input is invalid_input or not_found, never a raw PostgreSQL error that aborts the caller's
// transaction), timestamp formatting, and reading JSON columns.
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>
#include <pqxx/pqxx>

namespace sr::host::detail {

bool is_uuid(std::string_view text);

// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.frac]]" with an optional "Z" or "+HH[:MM]"
// zone and returns it in a form PostgreSQL reads the same whatever the session time zone
// (no zone means UTC). nullopt when it is not a valid date and time.
std::optional<std::string> normalize_timestamp(std::string_view text);

// SQL for a timestamptz column as ISO 8601 UTC with milliseconds ("...T03:00:00.123Z").
std::string iso_sql(std::string_view column);
// The same to the microsecond, for cursors.
std::string iso_us_sql(std::string_view column);

// A jsonb/json column (read as text) parsed; null when SQL NULL.
boost::json::value json_field(const pqxx::field& field);
// A text column, "" when NULL.
std::string text_field(const pqxx::field& field);

} // namespace sr::host::detail
