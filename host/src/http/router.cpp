#include "http/router.hpp"

#include "http/problem.hpp"

#include <boost/url/pct_string_view.hpp>

#include <algorithm>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>

namespace sr::host {
namespace {

// "/a/b" -> {"a", "b"}; "/" -> {""}; "/a/" -> {"a", ""}. Segments stay percent-encoded.
std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> out;
    if (path.empty() || path.front() != '/') return out;
    path.remove_prefix(1);
    for (;;) {
        auto slash = path.find('/');
        out.emplace_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return out;
}

// Decoded form of an encoded segment; nullopt when the escapes are malformed.
std::optional<std::string> decode_segment(const std::string& encoded) {
    auto pct = boost::urls::make_pct_string_view(encoded);
    if (!pct) return std::nullopt;
    return pct->decode();
}

} // namespace

const std::string* route_params::get(std::string_view name) const noexcept {
    for (const auto& [n, v] : values_)
        if (n == name) return &v;
    return nullptr;
}

router::route router::parse_route(std::string_view method, std::string_view pattern) const {
    if (pattern.empty() || pattern.front() != '/')
        throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
    route r{std::string(method), std::string(pattern), {}, {}, {}};
    std::set<std::string> names;
    for (auto& text : split_path(pattern)) {
        segment seg{text, false};
        if (!text.empty() && text.front() == '{') {
            if (text.size() < 3 || text.back() != '}')
                throw std::invalid_argument("malformed route parameter in " + std::string(pattern));
            seg.text = text.substr(1, text.size() - 2);
            seg.is_param = true;
            if (!names.insert(seg.text).second)
                throw std::invalid_argument("repeated route parameter in " + std::string(pattern));
        } else if (text.find_first_of("{}") != std::string::npos) {
            throw std::invalid_argument("malformed route parameter in " + std::string(pattern));
        }
        r.segments.push_back(std::move(seg));
    }
    return r;
}

router& router::add(std::string_view method, std::string_view pattern, route_handler handler) {
    auto r = parse_route(method, pattern);
    r.handler = std::move(handler);
    routes_.push_back(std::move(r));
    return *this;
}

router& router::add_async(std::string_view method, std::string_view pattern, async_route_handler handler) {
    auto r = parse_route(method, pattern);
    r.async_handler = std::move(handler);
    routes_.push_back(std::move(r));
    return *this;
}

std::vector<route_info> router::routes() const {
    std::vector<route_info> out;
    for (const auto& r : routes_) out.push_back({r.method, r.pattern});
    return out;
}

bool router::match(const route& r, const std::vector<std::string>& path, route_params* params) {
    if (r.segments.size() != path.size()) return false;
    for (std::size_t i = 0; i < path.size(); ++i) {
        auto decoded = decode_segment(path[i]);
        if (!decoded) return false;
        const auto& seg = r.segments[i];
        if (seg.is_param) {
            if (decoded->empty()) return false;
            if (params) params->add(seg.text, std::move(*decoded));
        } else if (*decoded != seg.text) {
            return false;
        }
    }
    return true;
}

const router::route* router::find(std::string_view method, const std::vector<std::string>& path,
                                  route_params& params) const {
    for (const auto& r : routes_) {
        if (r.method != method) continue;
        route_params candidate;
        if (match(r, path, &candidate)) {
            params = std::move(candidate);
            return &r;
        }
    }
    return nullptr;
}

std::string router::allowed_methods(const std::vector<std::string>& path) const {
    std::set<std::string> methods;
    for (const auto& r : routes_)
        if (match(r, path, nullptr)) methods.insert(r.method);
    // HEAD is served by the GET route (the server drops the body).
    if (methods.count("GET")) methods.insert("HEAD");
    std::string allow;
    for (const auto& m : methods) allow += (allow.empty() ? "" : ", ") + m;
    return allow;
}

http_response router::no_route(const http_request& request, const std::vector<std::string>& path) const {
    auto allow = allowed_methods(path);
    if (allow.empty())
        return problem_response(404, "not_found", "Not Found", "no resource at " + request.path);
    auto res = problem_response(405, "method_not_allowed", "Method Not Allowed",
                                request.method + " is not allowed on " + request.path);
    res.set_header("Allow", allow);
    return res;
}

http_response router::handle_request(const http_request& request) const {
    auto path = split_path(request.path);
    route_params params;
    const route* r = find(request.method, path, params);
    if (!r && request.method == "HEAD") r = find("GET", path, params);
    if (!r) return no_route(request, path);
    if (!r->handler) throw std::logic_error("route " + r->pattern + " is asynchronous: use router::dispatch");
    return r->handler(request, params);
}

void router::dispatch(http_request request, respond_fn respond) const {
    auto path = split_path(request.path);
    route_params params;
    const route* r = find(request.method, path, params);
    if (!r && request.method == "HEAD") r = find("GET", path, params);
    if (!r) return respond(no_route(request, path));
    if (r->handler) return respond(r->handler(request, params));

    // The request and params live as long as any copy of the respond function does, which
    // covers the handler's use of them up to its answer.
    struct held {
        http_request request;
        route_params params;
    };
    auto keep = std::make_shared<const held>(held{std::move(request), std::move(params)});
    r->async_handler(keep->request, keep->params,
                     [keep, respond = std::move(respond)](http_response res) { respond(std::move(res)); });
}

} // namespace sr::host
