#pragma once
// When to try a failed node again: exponential backoff with optional full jitter, never
// sooner than the service asked for (retry-after).
#include <cstdint>

#include "sr/core/model/scenario.hpp"

namespace sr::core::engine {

// Delay before attempt `next_attempt` (2 for the first retry). `unit_random` is a number in
// [0, 1) drawn by the caller (so tests can pin it); `retry_after_ms` < 0 means none.
// Full jitter: uniform in [0, min(max_delay, base * multiplier^(next_attempt - 2))].
int64_t retry_delay_ms(const retry_settings& policy, uint32_t next_attempt, double unit_random,
                       int64_t retry_after_ms);

// True when a node that just failed its attempt `attempt` may run again.
inline bool may_retry(const retry_settings& policy, uint32_t attempt) {
    return attempt < policy.max_attempts;
}

} // namespace sr::core::engine
