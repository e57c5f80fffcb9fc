#pragma once
// Token buckets by caller, for one route group. Callers are spread over shards, each with its
// own lock, so concurrent requests of different callers rarely wait on each other. The map is
// bounded: buckets that have refilled completely are forgotten (losslessly: a new bucket starts
// full too) on a periodic sweep of each shard and whenever a shard is at its capacity; a
// shard full of active callers forgets an arbitrary one.
#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "observability/rate_limit.hpp"
#include "observability/token_bucket.hpp"

namespace sr::host {

class rate_limiter {
public:
    static constexpr std::size_t shard_count = 16;
    static constexpr std::int64_t sweep_interval_us = 10'000'000;

    // `limit` must be enabled. `max_buckets` bounds the callers remembered (at least one per
    // shard).
    explicit rate_limiter(rate_limit limit, std::size_t max_buckets = 65'536);

    // Thread-safe. 0: admitted; otherwise the request is refused and a token comes back after
    // that many microseconds.
    std::int64_t admit(std::string_view caller, std::int64_t now_us);
    // Forgets every bucket that is full again; returns how many. Thread-safe.
    std::size_t evict_idle(std::int64_t now_us);
    // Buckets held now (approximate under concurrency).
    std::size_t size() const;
    const rate_limit& limit() const noexcept { return limit_; }

private:
    struct text_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    struct shard {
        mutable std::mutex mutex;
        std::unordered_map<std::string, token_bucket, text_hash, std::equal_to<>> buckets;
        std::int64_t last_sweep_us = 0;
    };

    std::size_t evict_idle(shard& s, std::int64_t now_us); // with s.mutex held
    void make_room(shard& s, std::int64_t now_us);          // with s.mutex held

    rate_limit limit_;
    std::size_t shard_capacity_;
    std::array<shard, shard_count> shards_;
};

} // namespace sr::host
