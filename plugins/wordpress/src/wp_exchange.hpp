#pragma once
// One REST call to a WordPress site through the host's HTTP service, and the mapping of
// whatever comes back onto the error taxonomy:
//   401/403 -> fatal connection_invalid      404 -> fatal not_found
//   400 (and other 4xx) -> fatal action_validation_failed, with WordPress's own message
//   429 -> retryable connection_rate_limited  5xx -> retryable action_execution_failed
//   (both honour Retry-After, in seconds or as an HTTP date)
//   timeout -> retryable action_timeout       refused / broken -> retryable connection_failed
// Messages name the method and REST path only: never the site's credentials.
#include "wp_site.hpp"

#include <scenario/sdk.hpp>

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sr::plugins::wordpress {

struct wp_call {
    std::string method = "GET";
    std::string path{};            // below the API root, e.g. "/posts/12"
    query_params query{};
    std::string body{};            // JSON text unless content_type says otherwise
    std::string content_type{};    // default "application/json" when there is a body
    std::vector<sdk::http_header> extra_headers{};
};

// A 2xx response with its body parsed as JSON.
struct wp_reply {
    int http_status = 0;
    boost::json::value body{};
    int64_t total = -1;       // X-WP-Total, -1 when absent
    int64_t total_pages = -1; // X-WP-TotalPages, -1 when absent
};

// The HTTP request for `call` on `site` (Authorization, Accept, Content-Type).
sdk::http_request build_request(const wp_site& site, const wp_call& call);

// Retry-After as milliseconds from `now_ms` (delta-seconds or an HTTP date); -1 when absent
// or unreadable, 0 for a date already past.
int64_t retry_after_ms(const sdk::http_response& response, int64_t now_ms);

// The error result for `response` to `what` ("POST /posts"), or the parsed reply.
std::variant<wp_reply, sdk::result> read_reply(const sdk::http_response& response, std::string_view what);

using reply_handler = sdk::unique_function<void(wp_reply, sdk::completion)>;

// Sends `call`; on a 2xx JSON reply runs `next` with it and the completion, otherwise
// completes the call with the mapped error. The call's deadline bounds the exchange.
void send(const sdk::action_context& ctx, const wp_site& site, const wp_call& call, sdk::completion done,
          reply_handler next);

// The site for the call's connection, or completes `done` with the error and returns null.
std::optional<wp_site> site_or_fail(const sdk::action_context& ctx, sdk::completion& done);

} // namespace sr::plugins::wordpress
