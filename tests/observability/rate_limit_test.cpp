// Token buckets, the sharded limiter and the per-endpoint request limits, with an injected
// clock: no test here waits for real time to pass.
#include <catch2/catch.hpp>

#include <cstdlib>

#include <boost/json.hpp>

#include "observability/rate_limit.hpp"
#include "observability/rate_limiter.hpp"
#include "observability/request_limits.hpp"
#include "observability/token_bucket.hpp"

using namespace sr::host;

namespace {
constexpr std::int64_t second = 1'000'000;

http_request request_to(std::string path, std::string ip = "10.0.0.1", std::string authorization = {}) {
    http_request r;
    r.method = "GET";
    r.path = path;
    r.target = path;
    r.remote_address = std::move(ip);
    if (!authorization.empty()) r.headers.emplace_back("authorization", std::move(authorization));
    return r;
}
} // namespace

TEST_CASE("a token bucket admits its burst at once and refuses the next request with the wait until a token") {
    const rate_limit limit{2, 3}; // 2 per second, burst 3
    token_bucket b(limit, 0);
    CHECK(b.take(limit, 0) == 0);
    CHECK(b.take(limit, 0) == 0);
    CHECK(b.take(limit, 0) == 0);
    CHECK(b.take(limit, 0) == second / 2);
    CHECK(std::abs(b.take(limit, 100'000) - 400'000) <= 1); // refused requests take nothing
}

TEST_CASE("a token bucket refills at its rate up to its burst") {
    const rate_limit limit{2, 3};
    token_bucket b(limit, 0);
    for (int i = 0; i < 3; ++i) REQUIRE(b.take(limit, 0) == 0);
    CHECK(b.take(limit, second / 2) == 0);    // one token came back
    CHECK(b.take(limit, second / 2) > 0);
    CHECK_FALSE(b.full(limit, 3 * second / 2)); // 1 s later: 2 tokens
    CHECK(b.full(limit, 2 * second));           // 1.5 s later: 3 tokens
    CHECK(b.tokens(limit, 100 * second) == 3); // never more than the burst
}

TEST_CASE("a token bucket does not drain when the clock steps back") {
    const rate_limit limit{1, 1};
    token_bucket b(limit, 10 * second);
    CHECK(b.take(limit, 10 * second) == 0);
    CHECK(b.take(limit, 5 * second) > 0);
    CHECK(b.take(limit, 11 * second) == 0);
}

TEST_CASE("rate limits parse as RATE or RATE/BURST, with 0 meaning off") {
    auto a = parse_rate_limit("50");
    REQUIRE(a);
    CHECK(a->per_second == 50);
    CHECK(a->burst == 50);
    auto b = parse_rate_limit("0.5/3");
    REQUIRE(b);
    CHECK(b->per_second == 0.5);
    CHECK(b->burst == 3);
    CHECK(parse_rate_limit("0.2")->burst == 1); // at least one request gets through
    auto off = parse_rate_limit("0");
    REQUIRE(off);
    CHECK_FALSE(off->enabled());
    CHECK(to_string(*parse_rate_limit("100/200")) == "100/200");
    CHECK(to_string(*off) == "off");
}

TEST_CASE("malformed rate limits are refused") {
    for (const char* bad : {"", "x", "-1", "10/", "/5", "10/0", "10/1.5", "10/-2", "1e3", "10/5/2", " 10", "2000000"}) {
        INFO(bad);
        CHECK_FALSE(parse_rate_limit(bad));
    }
}

TEST_CASE("the buckets of different callers are independent") {
    rate_limiter limiter({1, 2});
    CHECK(limiter.admit("a", 0) == 0);
    CHECK(limiter.admit("a", 0) == 0);
    CHECK(limiter.admit("a", 0) > 0);
    CHECK(limiter.admit("b", 0) == 0);
    CHECK(limiter.admit("b", 0) == 0);
    CHECK(limiter.admit("b", 0) > 0);
    CHECK(limiter.size() == 2);
}

TEST_CASE("idle buckets are evicted once they have refilled, and only then") {
    rate_limiter limiter({1, 2});
    REQUIRE(limiter.admit("busy", 0) == 0);
    REQUIRE(limiter.admit("busy", 0) == 0);
    REQUIRE(limiter.admit("idle", 0) == 0);
    CHECK(limiter.evict_idle(1 * second) == 1); // "idle" is full again after 1 s, "busy" is not
    CHECK(limiter.size() == 1);
    CHECK(limiter.evict_idle(2 * second) == 1);
    CHECK(limiter.size() == 0);
}

TEST_CASE("idle buckets are swept on their own as time passes") {
    rate_limiter limiter({100, 1});
    for (int i = 0; i < 1000; ++i) REQUIRE(limiter.admit("caller-" + std::to_string(i), 0) == 0);
    CHECK(limiter.size() == 1000);
    // Each shard sweeps on its next request after the sweep interval.
    const auto later = rate_limiter::sweep_interval_us + second;
    for (int i = 0; i < 200; ++i) limiter.admit("late-" + std::to_string(i), later);
    CHECK(limiter.size() == 200);
}

TEST_CASE("the bucket map stays within its bound under many distinct callers") {
    rate_limiter limiter({1, 5}, 160);
    for (int i = 0; i < 10'000; ++i) limiter.admit("caller-" + std::to_string(i), 0); // all active, none idle
    CHECK(limiter.size() <= 160);
    CHECK(limiter.size() >= 16);
}

TEST_CASE("API requests are counted per token prefix and never by the secret") {
    const std::string token = "srt_0a1b2c3d_" + std::string(43, 'S');
    auto key = classify(request_to("/api/v1/scenarios", "10.0.0.1", "Bearer " + token));
    CHECK(key.group == route_group::api);
    CHECK(key.caller == "token:srt_0a1b2c3d");
    CHECK(key.caller.find("SSS") == std::string::npos);
    CHECK(classify(request_to("/trigger/abc", "10.0.0.1", "Bearer " + token)).caller == "token:srt_0a1b2c3d");
    // No token, or one that is not ours: by client IP.
    CHECK(classify(request_to("/api/v1/runs", "10.0.0.9")).caller == "ip:10.0.0.9");
    CHECK(classify(request_to("/api/v1/runs", "10.0.0.9", "Bearer whatever-secret")).caller == "ip:10.0.0.9");
    CHECK(classify(request_to("/api/v1/runs", "10.0.0.9", "Basic c2VjcmV0")).caller == "ip:10.0.0.9");
}

TEST_CASE("webhook deliveries are counted per endpoint, the rest per client IP") {
    auto hook = classify(request_to("/webhooks/ep_123", "10.0.0.1"));
    CHECK(hook.group == route_group::webhooks);
    CHECK(hook.caller == "endpoint:ep_123");
    CHECK(classify(request_to("/webhooks/ep_123", "10.0.0.2")).caller == "endpoint:ep_123");
    auto health = classify(request_to("/health", "10.0.0.3"));
    CHECK(health.group == route_group::other);
    CHECK(health.caller == "ip:10.0.0.3");
    CHECK(classify(request_to("/api/v10", "10.0.0.3")).group == route_group::other);
    CHECK(classify(request_to("/webhooksx/a", "10.0.0.3")).group == route_group::other);
    CHECK(classify(request_to("/webhooks/" + std::string(1000, 'x'))).caller.size() < 200);
}

TEST_CASE("a refused request gets 429 problem+json with code rate_limited and Retry-After") {
    std::int64_t now = 0;
    rate_limit_config config;
    config.other = {0.5, 2}; // a token every 2 s
    request_limits limits(config, [&now] { return now; });
    auto req = request_to("/health");
    CHECK_FALSE(limits.check(req));
    CHECK_FALSE(limits.check(req));
    auto refused = limits.check(req);
    REQUIRE(refused);
    CHECK(refused->status == 429);
    REQUIRE(refused->header("Content-Type"));
    CHECK(*refused->header("Content-Type") == "application/problem+json");
    REQUIRE(refused->header("Retry-After"));
    CHECK(*refused->header("Retry-After") == "2");
    auto body = boost::json::parse(refused->body).as_object();
    CHECK(body.at("code") == "rate_limited");
    CHECK(body.at("status") == 429);
    CHECK(limits.refused(route_group::other) == 1);
    CHECK(limits.refused(route_group::api) == 0);
    now = 2 * second; // refilled one token
    CHECK_FALSE(limits.check(req));
}

TEST_CASE("a route group whose limit is off admits everything and keeps no buckets") {
    rate_limit_config config;
    config.webhooks = {};
    config.other = {1, 1};
    request_limits limits(config, [] { return std::int64_t{0}; });
    for (int i = 0; i < 1000; ++i) REQUIRE_FALSE(limits.check(request_to("/webhooks/ep")));
    CHECK(limits.buckets(route_group::webhooks) == 0);
    CHECK(limits.refused(route_group::webhooks) == 0);
}

TEST_CASE("the default limits do not limit webhooks") {
    rate_limit_config defaults;
    CHECK_FALSE(defaults.webhooks.enabled());
    CHECK(defaults.api.enabled());
}
