#pragma once
// The pure halves of system.http_request, kept apart from the asynchronous glue so they are
// testable without a host: settings -> request, and response -> result (error taxonomy).
#include <scenario/sdk.hpp>

#include <boost/json.hpp>

#include <string>
#include <string_view>
#include <variant>

namespace sr::plugins::system {

// The request described by the node's settings, or the validation error to fail with.
// A JSON (non-string) body is serialized and sent as application/json unless the settings
// set a content-type; a non-empty idempotency key is forwarded as Idempotency-Key.
std::variant<sdk::http_request, sdk::result> build_http_request(const boost::json::object& settings,
                                                                std::string_view idempotency_key);

// The node's result for a finished exchange. `method` and `url` only label messages; the
// URL is reduced to scheme://host[:port] so paths and queries (often holding tokens) stay
// out of error messages.
sdk::result map_http_response(const sdk::http_response& response, std::string_view method, std::string_view url);

// scheme://host[:port] of `url`, without user info, path, query or fragment.
std::string url_origin(std::string_view url);

// {"status", "headers", "body"}: body parsed when the response is JSON, else a string
// (base64 with "body_encoding": "base64" when it is not UTF-8).
boost::json::object response_output(const sdk::http_response& response);

} // namespace sr::plugins::system
