#pragma once
// Reading request bodies and query strings strictly: malformed JSON, a body that is not an
// object and fields of the wrong type are api_error 400 naming the field.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "http/http_message.hpp"

namespace sr::host {

// The body as a JSON object; an empty body is {} when `empty_ok`.
boost::json::object body_object(const http_request& request, bool empty_ok = false);

// Optional typed members: nullopt when absent or null; 400 naming the field when mistyped.
std::optional<std::string> string_member(const boost::json::object& o, std::string_view key);
std::optional<std::int64_t> integer_member(const boost::json::object& o, std::string_view key);

// One query parameter, percent-decoded ('+' as space); nullopt when absent.
std::optional<std::string> query_param(const http_request& request, std::string_view name);
// The list routes' `limit` query parameter: its default and its largest value.
inline constexpr std::int64_t default_page_size = 50;
inline constexpr std::int64_t max_page_size = 500;

// A query parameter that must be an integer in [min, max] when present.
std::optional<std::int64_t> integer_query(const http_request& request, std::string_view name, std::int64_t min,
                                          std::int64_t max);

// The revision in an If-Match header ("5", W/"5" or 5); nullopt when absent; 400 when
// it is not a number.
std::optional<std::int64_t> if_match_revision(const http_request& request);

http_response json_response(int status, const boost::json::value& body);

} // namespace sr::host
