#include "wp_exchange.hpp"

#include "wp_time.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <utility>

namespace sr::plugins::wordpress {

namespace {

std::string_view trim(std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return v;
}

int64_t header_int(const sdk::http_response& response, std::string_view name) {
    const std::string* value = response.header(name);
    if (value == nullptr) return -1;
    const auto v = trim(*value);
    int64_t n = -1;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    return ec == std::errc() && end == v.data() + v.size() && n >= 0 ? n : -1;
}

// WordPress errors are {"code", "message", "data": {"status", ...}}; keep what helps and
// cap the message so a huge page never becomes an error message.
struct wp_error_body {
    std::string code, message;
    boost::json::value data;
};

wp_error_body error_body(const std::string& body) {
    wp_error_body out;
    boost::system::error_code ec;
    auto parsed = boost::json::parse(body, ec);
    if (ec || !parsed.is_object()) return out;
    const auto& o = parsed.get_object();
    if (const auto* c = o.if_contains("code"); c != nullptr && c->is_string()) out.code = c->get_string();
    if (const auto* m = o.if_contains("message"); m != nullptr && m->is_string()) {
        out.message = std::string(m->get_string().subview().substr(0, 500));
    }
    if (const auto* d = o.if_contains("data")) out.data = *d;
    return out;
}

sdk::result http_error(const sdk::http_response& response, std::string_view what) {
    const int status = response.http_status;
    const auto wp = error_body(response.body);
    std::string message = "WordPress " + std::string(what) + " answered HTTP " + std::to_string(status);
    if (!wp.message.empty()) message += ": " + wp.message;
    if (!wp.code.empty()) message += " (" + wp.code + ")";
    boost::json::object detail{{"http_status", status}};
    if (!wp.code.empty()) detail["wp_code"] = wp.code;
    if (!wp.data.is_null()) detail["wp_data"] = wp.data;

    if (status == 401 || status == 403) return sdk::result::fatal("connection_invalid", message).with_output(detail);
    if (status == 404) return sdk::result::fatal("not_found", message).with_output(detail);
    const int64_t wait = retry_after_ms(response, now_unix_ms());
    if (status == 429) return sdk::result::retryable("connection_rate_limited", message, wait).with_output(detail);
    if (status >= 500) return sdk::result::retryable("action_execution_failed", message, wait).with_output(detail);
    if (status >= 400) return sdk::result::fatal("action_validation_failed", message).with_output(detail);
    // 1xx/3xx: the host does not follow redirects; a moved site needs a new site_url.
    return sdk::result::fatal("action_execution_failed", message + "; check the connection's site_url")
        .with_output(detail);
}

sdk::result transport_error(const sdk::http_response& response, std::string_view what) {
    const std::string where = "WordPress " + std::string(what);
    const std::string detail = response.error_message.empty() ? std::string() : " (" + response.error_message + ")";
    switch (response.status) {
    case SR_ERR_TIMEOUT: return sdk::result::retryable("action_timeout", where + " timed out" + detail);
    case SR_ERR_CONNECT: return sdk::result::retryable("connection_failed", where + ": could not connect" + detail);
    case SR_ERR_IO: return sdk::result::retryable("connection_failed", where + ": the connection broke" + detail);
    case SR_ERR_CANCELLED: return sdk::result::fatal("cancelled", where + " was cancelled");
    case SR_ERR_TOO_LARGE:
        return sdk::result::fatal("action_execution_failed", where + ": the response exceeded the size limit");
    default: return sdk::result::fatal("action_execution_failed", where + " failed" + detail);
    }
}

} // namespace

sdk::http_request build_request(const wp_site& site, const wp_call& call) {
    sdk::http_request request;
    request.method = call.method;
    request.url = rest_url(site, call.path, call.query);
    request.headers.push_back({"Authorization", site.authorization});
    request.headers.push_back({"Accept", "application/json"});
    if (!call.body.empty() || call.method == "POST" || call.method == "PUT") {
        request.headers.push_back({"Content-Type", call.content_type.empty() ? "application/json" : call.content_type});
    }
    for (const auto& h : call.extra_headers) request.headers.push_back(h);
    request.body = call.body;
    return request;
}

int64_t retry_after_ms(const sdk::http_response& response, int64_t now_ms) {
    const std::string* value = response.header("retry-after");
    if (value == nullptr) return -1;
    const auto v = trim(*value);
    int64_t seconds = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
    if (ec == std::errc() && end == v.data() + v.size() && seconds >= 0) {
        return seconds > std::numeric_limits<int64_t>::max() / 1000 ? std::numeric_limits<int64_t>::max()
                                                                    : seconds * 1000;
    }
    if (const auto when = parse_http_date(v)) return std::max<int64_t>(0, *when * 1000 - now_ms);
    return -1;
}

std::variant<wp_reply, sdk::result> read_reply(const sdk::http_response& response, std::string_view what) {
    if (response.status != SR_OK) return transport_error(response, what);
    if (response.http_status < 200 || response.http_status >= 300) return http_error(response, what);
    wp_reply reply;
    reply.http_status = response.http_status;
    boost::system::error_code ec;
    reply.body = boost::json::parse(response.body, ec);
    if (ec) {
        // Typically an HTML page: the site_url does not point at a WordPress REST API.
        return sdk::result::fatal("action_execution_failed", "WordPress " + std::string(what) + " answered HTTP " +
                                                                 std::to_string(response.http_status) +
                                                                 " without JSON; check the connection's site_url");
    }
    reply.total = header_int(response, "x-wp-total");
    reply.total_pages = header_int(response, "x-wp-totalpages");
    return reply;
}

void send(const sdk::action_context& ctx, const wp_site& site, const wp_call& call, sdk::completion done,
          reply_handler next) {
    std::string what = call.method + " " + call.path;
    auto request = build_request(site, call);
    // The call's deadline bounds the exchange, so a stalled site ends as a retryable timeout.
    if (const auto remaining = ctx.remaining_ms(); remaining > 0 && remaining < 30'000) {
        request.timeout_ms = static_cast<uint32_t>(remaining);
    }
    ctx.http().request(request, [done = std::move(done), next = std::move(next),
                                 what = std::move(what)](sdk::http_response response) mutable {
        auto reply = read_reply(response, what);
        if (auto* error = std::get_if<sdk::result>(&reply)) {
            done(*error);
            return;
        }
        next(std::move(std::get<wp_reply>(reply)), std::move(done));
    });
}

std::optional<wp_site> site_or_fail(const sdk::action_context& ctx, sdk::completion& done) {
    auto site = site_from_connection(ctx.connection());
    if (auto* error = std::get_if<sdk::result>(&site)) {
        done(*error);
        return std::nullopt;
    }
    return std::get<wp_site>(std::move(site));
}

} // namespace sr::plugins::wordpress
