#pragma once
// The polling trigger's cursor and its pure rules, kept apart from the HTTP glue so they are
// testable without a site. The cursor is
//   {"after": "<date_gmt of the newest emitted post>", "after_local": "<its site-time date>",
//    "seen_ids": [<ids of the posts emitted with exactly that date_gmt>]}
// WordPress dates have one-second resolution, and its `after` filter compares the site-time
// `date` and is exclusive, so a poll asks for posts after one second before `after_local`
// and drops those it already emitted (`seen_ids`): several posts published in the same
// second are neither repeated nor lost, whichever poll they fall into.
#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace sr::plugins::wordpress {

struct poll_cursor {
    std::string after{};       // "" before any post was seen
    std::string after_local{}; // "" when unknown (a cursor written by hand): then a wider window
    std::vector<int64_t> seen_ids{};
};

// null -> nullopt (the first poll); anything malformed -> the problem, as text.
std::variant<std::optional<poll_cursor>, std::string> parse_cursor(const boost::json::value& cursor);

boost::json::object to_json(const poll_cursor& cursor);

// The value for WordPress's `after` query parameter; "" means no filter.
std::string query_after(const poll_cursor& cursor);

// The posts of `page` (REST shape) that this cursor has not emitted, oldest first (by
// date_gmt, then id). Posts without a readable date_gmt or id are skipped.
std::vector<boost::json::value> new_posts(const boost::json::array& page, const poll_cursor& cursor);

// The cursor after emitting `emitted` (oldest first).
poll_cursor advance(poll_cursor cursor, const std::vector<boost::json::value>& emitted);

// The first poll's cursor: after the newest of `page`'s posts, so only posts published from
// now on start runs. An empty page gives an empty cursor (every later post is new).
poll_cursor baseline(const boost::json::array& page);

} // namespace sr::plugins::wordpress
