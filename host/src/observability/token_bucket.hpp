#pragma once
// A token bucket: holds up to `burst` tokens, refills at `per_second`, and each request takes
// one. Time is passed in (monotonic microseconds), never read, so tests step it.
#include <cstdint>

#include "observability/rate_limit.hpp"

namespace sr::host {

class token_bucket {
public:
    // Starts full. The limit is passed to every call rather than stored, so a bucket stays
    // small when a limiter holds many of them.
    token_bucket(const rate_limit& limit, std::int64_t now_us) noexcept : tokens_(limit.burst), last_us_(now_us) {}

    // Takes a token: 0 when one was there, otherwise the microseconds until one will be (the
    // bucket is unchanged apart from its refill).
    std::int64_t take(const rate_limit& limit, std::int64_t now_us) noexcept;
    // True once the bucket has refilled completely: forgetting it then loses nothing.
    bool full(const rate_limit& limit, std::int64_t now_us) const noexcept;
    double tokens(const rate_limit& limit, std::int64_t now_us) const noexcept;

private:
    double tokens_;
    std::int64_t last_us_;
};

} // namespace sr::host
