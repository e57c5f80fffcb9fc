#pragma once
// RFC 9457 problem details: every error the HTTP API returns has this shape, with a stable
// machine-readable `code` beside the human-readable title and detail.
#include "http/http_message.hpp"

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace sr::host {

// application/problem+json {type, title, status, detail, code}. `type` is derived from `code`
// so clients can key on either. `detail` must never carry secrets.
http_response problem_response(int status, std::string_view code, std::string_view title,
                               std::string_view detail);

// The same with extension members (RFC 9457 §3.2) such as "problems" or "current_revision";
// they never replace the standard members.
http_response problem_response(int status, std::string_view code, std::string_view title,
                               std::string_view detail, const boost::json::object& extensions);

// The URI reference used as `type` for `code`.
std::string problem_type(std::string_view code);

} // namespace sr::host
