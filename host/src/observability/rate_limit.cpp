#include "observability/rate_limit.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace sr::host {

namespace {
constexpr double max_value = 1e6;

std::optional<double> parse_number(std::string_view text) {
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    if (!std::isfinite(value) || value < 0 || value > max_value) return std::nullopt;
    return value;
}
} // namespace

std::optional<rate_limit> parse_rate_limit(std::string_view text) {
    const auto slash = text.find('/');
    auto rate = parse_number(text.substr(0, slash));
    if (!rate) return std::nullopt;
    rate_limit out{*rate, std::max(1.0, std::ceil(*rate))};
    if (slash != std::string_view::npos) {
        auto burst = parse_number(text.substr(slash + 1));
        if (!burst || *burst < 1 || *burst != std::trunc(*burst)) return std::nullopt;
        out.burst = *burst;
    }
    if (out.per_second == 0) return rate_limit{};
    return out;
}

std::string to_string(const rate_limit& limit) {
    if (!limit.enabled()) return "off";
    return fmt::format("{}/{}", limit.per_second, limit.burst);
}

} // namespace sr::host
