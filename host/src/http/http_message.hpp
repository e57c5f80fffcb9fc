#pragma once
// The server's view of one HTTP exchange, free of Beast so that routes and handlers can be
// written and tested as plain functions from request to response.
#include <boost/json/fwd.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sr::host {

// One header field; names are lower case on everything the host produces from the wire.
using http_header = std::pair<std::string, std::string>;

struct http_request {
    std::string method;          // as received, e.g. "GET"
    std::string target;          // the raw request-target, e.g. "/a/b?x=1"
    std::string path;            // its path, still percent-encoded
    std::string query;           // its query without '?', still percent-encoded
    std::vector<http_header> headers; // names in lower case, in arrival order
    std::string body;
    std::string remote_address;  // client IP (trusted_proxies.hpp), empty when unknown

    // The first value of header `name` (case-insensitive), or nullptr.
    const std::string* header(std::string_view name) const noexcept;
    // The same, or "" when the header is absent.
    std::string_view header_or_empty(std::string_view name) const noexcept {
        const std::string* v = header(name);
        return v ? std::string_view(*v) : std::string_view{};
    }
};

struct http_response {
    int status = 200;
    std::vector<http_header> headers; // Content-Length and Connection are set by the server
    std::string body;

    // Replaces every field called `name` (case-insensitive) with one field.
    void set_header(std::string_view name, std::string value);
    const std::string* header(std::string_view name) const noexcept;

    static http_response json(int status, const boost::json::value& body);
    static http_response text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
};

// How an asynchronous handler answers: call it exactly once, from any thread (an I/O thread,
// a db_pool thread, ...). Copies share one state: a second call, from any copy, is ignored.
// Call it before the server's io_context is destroyed; a connection that closed meanwhile
// drops the answer.
using respond_fn = std::function<void(http_response)>;

} // namespace sr::host
