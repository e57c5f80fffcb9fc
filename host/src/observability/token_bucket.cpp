#include "observability/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace sr::host {

double token_bucket::tokens(const rate_limit& limit, std::int64_t now_us) const noexcept {
    // A clock that steps back (it should not) refills nothing rather than draining.
    const auto elapsed = static_cast<double>(std::max<std::int64_t>(0, now_us - last_us_));
    return std::min(limit.burst, tokens_ + elapsed * limit.per_second / 1e6);
}

std::int64_t token_bucket::take(const rate_limit& limit, std::int64_t now_us) noexcept {
    tokens_ = tokens(limit, now_us);
    last_us_ = std::max(last_us_, now_us);
    if (tokens_ >= 1) {
        tokens_ -= 1;
        return 0;
    }
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil((1 - tokens_) * 1e6 / limit.per_second)));
}

bool token_bucket::full(const rate_limit& limit, std::int64_t now_us) const noexcept {
    return tokens(limit, now_us) >= limit.burst;
}

} // namespace sr::host
