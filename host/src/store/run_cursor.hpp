#pragma once
// The opaque page cursor of list_runs: the (created_at, id) of the last run of a page, with
// created_at to the microsecond so the next page starts exactly after it.
#include <optional>
#include <string>
#include <string_view>

namespace sr::host {

struct run_cursor {
    std::string created_at; // ISO 8601 UTC with microseconds
    std::string id;         // uuid
};

std::string encode_run_cursor(const run_cursor& cursor);
// nullopt when the text was not made by encode_run_cursor.
std::optional<run_cursor> decode_run_cursor(std::string_view text);

} // namespace sr::host
