#pragma once
// A rate limit as scenariod's options give it: RATE[/BURST] requests per second, 0 = off.
#include <optional>
#include <string>
#include <string_view>

namespace sr::host {

struct rate_limit {
    double per_second = 0; // 0: no limit
    double burst = 0;      // requests admitted at once after an idle spell (at least 1)

    bool enabled() const noexcept { return per_second > 0; }
};

// "RATE" or "RATE/BURST": RATE a non-negative decimal up to 1e6 (0 = off), BURST a whole
// number from 1 to 1e6 (default: RATE rounded up, at least 1). nullopt for anything else.
std::optional<rate_limit> parse_rate_limit(std::string_view text);

// "100/200", or "off".
std::string to_string(const rate_limit& limit);

} // namespace sr::host
