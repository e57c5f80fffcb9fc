#include "sr/core/engine/retry_policy.hpp"

#include <algorithm>
#include <cmath>

namespace sr::core::engine {

int64_t retry_delay_ms(const retry_settings& policy, uint32_t next_attempt, double unit_random,
                       int64_t retry_after_ms) {
    const double exponent = next_attempt >= 2 ? static_cast<double>(next_attempt - 2) : 0.0;
    double ceiling = static_cast<double>(policy.base_delay_ms) * std::pow(policy.multiplier, exponent);
    ceiling = std::min(ceiling, static_cast<double>(policy.max_delay_ms));
    const double unit = std::clamp(unit_random, 0.0, 1.0);
    int64_t delay = static_cast<int64_t>(policy.jitter ? ceiling * unit : ceiling);
    // A service's own retry-after wins over a shorter backoff: retrying earlier only fails again.
    if (retry_after_ms >= 0) delay = std::max(delay, retry_after_ms);
    return delay;
}

} // namespace sr::core::engine
