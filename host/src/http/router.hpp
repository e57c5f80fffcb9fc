#pragma once
// Maps method + path to a handler. Patterns are literal segments and `{name}` segments that
// match exactly one non-empty segment, e.g. "/api/v1/scenarios/{id}/runs". handle_request() is
// a pure function of the request: unknown paths give 404, known paths with another method give
// 405 with Allow. An exception from a handler propagates: the server logs it and answers 500.
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

class router {
public:
    // Throws std::invalid_argument for a pattern that does not start with '/', has an empty
    // or malformed `{}` segment, or repeats a parameter name.
    router& add(std::string_view method, std::string_view pattern, route_handler handler);

    http_response handle_request(const http_request& request) const;

private:
    struct segment {
        std::string text; // literal, or the parameter name
        bool is_param = false;
    };
    struct route {
        std::string method;
        std::vector<segment> segments;
        route_handler handler;
    };

    static bool match(const route& r, const std::vector<std::string>& path, route_params* params);
    const route* find(std::string_view method, const std::vector<std::string>& path,
                      route_params& params) const;
    std::string allowed_methods(const std::vector<std::string>& path) const;

    std::vector<route> routes_;
};

} // namespace sr::host
