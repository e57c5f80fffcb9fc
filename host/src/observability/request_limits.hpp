#pragma once
// Per-endpoint rate limits in front of the router. A request belongs to a route group and a
// caller: /api/v1 and /trigger by API token (its public prefix "srt_xxxxxxxx", never the
// secret; by client IP without a well-formed token), /webhooks/{endpoint} by endpoint id,
// everything else by client IP. Each group has its own limit and buckets; a refused request
// gets 429 problem+json (code rate_limited) with Retry-After and never reaches the router.
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/http_server.hpp"
#include "observability/rate_limit.hpp"
#include "observability/rate_limiter.hpp"

namespace sr::host {

enum class route_group : std::uint8_t { api, webhooks, other };
inline constexpr std::size_t route_group_count = 3;
const char* to_string(route_group group) noexcept;

struct rate_limit_config {
    rate_limit api{100, 200};
    rate_limit webhooks{};       // off: an endpoint must take tens of thousands a second
    rate_limit other{1000, 2000};
    std::size_t max_buckets = 65'536; // per group
};

struct limit_key {
    route_group group = route_group::other;
    std::string caller; // "token:srt_xxxxxxxx", "endpoint:<id>" or "ip:<address>"
};
// Pure: where `request` is counted.
route_group group_of(std::string_view path) noexcept;
std::string caller_of(route_group group, const http_request& request);
limit_key classify(const http_request& request);

class request_limits {
public:
    using clock_fn = std::function<std::int64_t()>; // monotonic microseconds

    // Default clock: std::chrono::steady_clock.
    explicit request_limits(rate_limit_config config, clock_fn clock = {});

    // Thread-safe. nullopt: go on; otherwise the 429 answer to send.
    std::optional<http_response> check(const http_request& request);

    std::uint64_t refused(route_group group) const noexcept;
    std::size_t buckets(route_group group) const;
    const rate_limit& limit(route_group group) const noexcept;
    std::size_t evict_idle();

private:
    rate_limit_config config_;
    clock_fn clock_;
    std::array<std::unique_ptr<rate_limiter>, route_group_count> limiters_; // null: off
    std::array<std::atomic<std::uint64_t>, route_group_count> refused_{};
};

// `next` behind the limits: a refused request is answered here and never reaches it.
// `limits` must outlive the returned handler.
async_request_handler limit_requests(request_limits& limits, async_request_handler next);

} // namespace sr::host
