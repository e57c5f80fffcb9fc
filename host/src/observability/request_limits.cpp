#include "observability/request_limits.hpp"

#include <chrono>
#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "auth/authenticator.hpp"
#include "http/problem.hpp"

namespace sr::host {

namespace {

constexpr std::size_t max_caller_text = 128; // a caller key never holds more of the request

bool starts_with_segment(std::string_view path, std::string_view prefix) {
    return path.starts_with(prefix) && (path.size() == prefix.size() || path[prefix.size()] == '/');
}

bool is_hex(std::string_view s) {
    return s.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
}

std::string by_ip(const http_request& request) { return "ip:" + request.remote_address.substr(0, max_caller_text); }

// The token's public prefix ("srt_" and 8 hex digits, as api_tokens.prefix stores it).
std::string by_token(const http_request& request) {
    auto token = bearer_token(request.header("authorization"));
    if (!token || token->size() < 13 || !token->starts_with("srt_") || (*token)[12] != '_' || !is_hex(token->substr(4, 8)))
        return by_ip(request);
    return "token:" + std::string(token->substr(0, 12));
}

std::int64_t steady_now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

const char* to_string(route_group group) noexcept {
    switch (group) {
    case route_group::api: return "api";
    case route_group::webhooks: return "webhooks";
    case route_group::other: return "other";
    }
    return "other";
}

route_group group_of(std::string_view path) noexcept {
    if (starts_with_segment(path, "/api/v1") || starts_with_segment(path, "/trigger")) return route_group::api;
    if (starts_with_segment(path, "/webhooks")) return route_group::webhooks;
    return route_group::other;
}

std::string caller_of(route_group group, const http_request& request) {
    switch (group) {
    case route_group::api: return by_token(request);
    case route_group::webhooks: {
        std::string_view endpoint(request.path);
        endpoint = endpoint.substr(std::min(endpoint.size(), std::string_view("/webhooks/").size()));
        endpoint = endpoint.substr(0, endpoint.find('/'));
        if (endpoint.empty()) return by_ip(request);
        return "endpoint:" + std::string(endpoint.substr(0, max_caller_text));
    }
    case route_group::other: break;
    }
    return by_ip(request);
}

limit_key classify(const http_request& request) {
    const auto group = group_of(request.path);
    return {group, caller_of(group, request)};
}

request_limits::request_limits(rate_limit_config config, clock_fn clock)
    : config_(config), clock_(clock ? std::move(clock) : clock_fn(steady_now_us)) {
    const std::array<rate_limit, route_group_count> limits{config_.api, config_.webhooks, config_.other};
    for (std::size_t i = 0; i < route_group_count; ++i)
        if (limits[i].enabled()) limiters_[i] = std::make_unique<rate_limiter>(limits[i], config_.max_buckets);
}

std::optional<http_response> request_limits::check(const http_request& request) {
    // A group that is off costs a prefix test: no caller key is built.
    const auto group = group_of(request.path);
    const auto index = static_cast<std::size_t>(group);
    auto& limiter = limiters_[index];
    if (!limiter) return std::nullopt;
    const limit_key key{group, caller_of(group, request)};
    const std::int64_t wait_us = limiter->admit(key.caller, clock_());
    if (wait_us == 0) return std::nullopt;
    refused_[index].fetch_add(1, std::memory_order_relaxed);
    const auto retry_after = std::max<std::int64_t>(1, (wait_us + 999'999) / 1'000'000);
    const auto& l = limiter->limit();
    auto res = problem_response(
        429, "rate_limited", "Too Many Requests",
        fmt::format("more than {} requests per second (burst {}) from this caller on the {} routes; retry after {} s",
                    l.per_second, l.burst, to_string(key.group), retry_after));
    res.set_header("Retry-After", std::to_string(retry_after));
    return res;
}

std::uint64_t request_limits::refused(route_group group) const noexcept {
    return refused_[static_cast<std::size_t>(group)].load(std::memory_order_relaxed);
}

std::size_t request_limits::buckets(route_group group) const {
    const auto& limiter = limiters_[static_cast<std::size_t>(group)];
    return limiter ? limiter->size() : 0;
}

const rate_limit& request_limits::limit(route_group group) const noexcept {
    switch (group) {
    case route_group::api: return config_.api;
    case route_group::webhooks: return config_.webhooks;
    case route_group::other: return config_.other;
    }
    return config_.other;
}

std::size_t request_limits::evict_idle() {
    std::size_t n = 0;
    const auto now = clock_();
    for (auto& limiter : limiters_)
        if (limiter) n += limiter->evict_idle(now);
    return n;
}

async_request_handler limit_requests(request_limits& limits, async_request_handler next) {
    return [&limits, next = std::move(next)](http_request request, respond_fn respond) {
        if (auto refused = limits.check(request)) return respond(std::move(*refused));
        next(std::move(request), std::move(respond));
    };
}

} // namespace sr::host
