#pragma once
// Turns one HTTP delivery into the run's trigger data: the body parsed by its Content-Type,
// the headers a scenario may see, the query, the method and when it arrived. Pure functions of
// the request, so they are tested without a socket or a database.
#include "http/http_message.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sr::host {

// The body cannot be read as its Content-Type says (malformed JSON or form encoding). The
// message names what is wrong, never the body itself.
struct payload_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct parsed_body {
    boost::json::value value;    // object/array/... for JSON, object for forms, string otherwise
    bool base64 = false;         // `value` is the base64 of a body that is not UTF-8
};

// JSON media types (application/json, anything+json) → the parsed value (an empty body is
// null); application/x-www-form-urlencoded → an object; anything else → the text as a string,
// or its base64 when it is not valid UTF-8. Throws payload_error for malformed JSON or form.
parsed_body parse_webhook_body(std::string_view body, const std::string* content_type);

// name → value with lower-case names, without credentials and signatures (Authorization,
// Cookie, Stripe-Signature, X-Signature, ...). A repeated header keeps its values joined by
// ", " as RFC 9110 allows.
boost::json::object visible_headers(const std::vector<http_header>& headers);

// "a=1&b=x+y&a=2" → {"a": ["1", "2"], "b": "x y"}. Throws payload_error on bad %-escapes or
// text that is not UTF-8 once decoded.
boost::json::object parse_form(std::string_view text);

// {"body", "headers", "query", "method", "received_at"} (+ "body_encoding": "base64" when the
// body had to be encoded). Throws payload_error as parse_webhook_body does.
boost::json::object make_trigger_data(const http_request& request, std::string_view received_at);

// The current time as ISO 8601 UTC with milliseconds, e.g. "2026-11-22T03:04:05.123Z".
std::string utc_now_iso();

} // namespace sr::host
