#include "observability/rate_limiter.hpp"

#include <algorithm>
#include <stdexcept>

namespace sr::host {

rate_limiter::rate_limiter(rate_limit limit, std::size_t max_buckets)
    : limit_(limit), shard_capacity_(std::max<std::size_t>(1, max_buckets / shard_count)) {
    if (!limit_.enabled() || limit_.burst < 1) throw std::invalid_argument("rate_limiter needs a rate and a burst of at least 1");
}

std::size_t rate_limiter::evict_idle(shard& s, std::int64_t now_us) {
    s.last_sweep_us = now_us;
    return std::erase_if(s.buckets, [&](const auto& entry) { return entry.second.full(limit_, now_us); });
}

void rate_limiter::make_room(shard& s, std::int64_t now_us) {
    if (s.buckets.size() < shard_capacity_) return;
    evict_idle(s, now_us);
    // Every caller is active: forget one (it starts again with a full bucket) rather than
    // grow without bound or turn new callers away.
    if (s.buckets.size() >= shard_capacity_) s.buckets.erase(s.buckets.begin());
}

std::int64_t rate_limiter::admit(std::string_view caller, std::int64_t now_us) {
    shard& s = shards_[text_hash{}(caller) % shard_count];
    std::lock_guard lock(s.mutex);
    if (now_us - s.last_sweep_us >= sweep_interval_us) evict_idle(s, now_us);
    auto it = s.buckets.find(caller);
    if (it == s.buckets.end()) {
        make_room(s, now_us);
        it = s.buckets.emplace(std::string(caller), token_bucket(limit_, now_us)).first;
    }
    return it->second.take(limit_, now_us);
}

std::size_t rate_limiter::evict_idle(std::int64_t now_us) {
    std::size_t evicted = 0;
    for (auto& s : shards_) {
        std::lock_guard lock(s.mutex);
        evicted += evict_idle(s, now_us);
    }
    return evicted;
}

std::size_t rate_limiter::size() const {
    std::size_t n = 0;
    for (const auto& s : shards_) {
        std::lock_guard lock(s.mutex);
        n += s.buckets.size();
    }
    return n;
}

} // namespace sr::host
