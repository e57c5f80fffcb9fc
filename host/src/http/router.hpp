#pragma once
// Maps method + path to a handler. Patterns are literal segments and `{name}` segments that
// match exactly one non-empty segment, e.g. "/api/v1/scenarios/{id}/runs". handle_request() is
// a pure function of the request: unknown paths give 404, known paths with another method give
// 405 with Allow. An exception from a handler propagates: the server logs it and answers 500.
// Routes are synchronous (return the response) or asynchronous (answer later through a
// respond_fn, e.g. from a db_pool thread); dispatch() serves both.
#include "http/http_message.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sr::host {

// Values of the `{name}` segments of the matched pattern, percent-decoded.
class route_params {
public:
    const std::string* get(std::string_view name) const noexcept;
    void add(std::string name, std::string value) { values_.emplace_back(std::move(name), std::move(value)); }
    std::size_t size() const noexcept { return values_.size(); }

private:
    std::vector<std::pair<std::string, std::string>> values_;
};

using route_handler = std::function<http_response(const http_request&, const route_params&)>;
// The request and params stay valid until `respond` is called (or its last copy is dropped).
using async_route_handler = std::function<void(const http_request&, const route_params&, respond_fn)>;

// One registered route, as written: for documentation checks (OpenAPI) and diagnostics.
struct route_info {
    std::string method;
    std::string pattern;
};

class router {
public:
    // Throws std::invalid_argument for a pattern that does not start with '/', has an empty
    // or malformed `{}` segment, or repeats a parameter name.
    router& add(std::string_view method, std::string_view pattern, route_handler handler);
    // Same checks as add().
    router& add_async(std::string_view method, std::string_view pattern, async_route_handler handler);

    // Serves sync and async routes: sync routes and 404/405 answer inline (before dispatch
    // returns), async ones whenever they call respond. An exception thrown by a handler before
    // it returns propagates to the caller (the server answers 500 unless already answered).
    void dispatch(http_request request, respond_fn respond) const;

    // Sync only: a request that matches an async route throws std::logic_error (use dispatch).
    http_response handle_request(const http_request& request) const;

    // Every route in registration order.
    std::vector<route_info> routes() const;

private:
    struct segment {
        std::string text; // literal, or the parameter name
        bool is_param = false;
    };
    struct route {
        std::string method;
        std::string pattern;
        std::vector<segment> segments;
        route_handler handler;             // set for sync routes
        async_route_handler async_handler; // set for async routes
    };

    route parse_route(std::string_view method, std::string_view pattern) const;
    // The answer when nothing matches: 404, or 405 with Allow.
    http_response no_route(const http_request& request, const std::vector<std::string>& path) const;

    static bool match(const route& r, const std::vector<std::string>& path, route_params* params);
    const route* find(std::string_view method, const std::vector<std::string>& path,
                      route_params& params) const;
    std::string allowed_methods(const std::vector<std::string>& path) const;

    std::vector<route> routes_;
};

} // namespace sr::host
