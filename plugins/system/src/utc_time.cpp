#include "utc_time.hpp"

#include <chrono>
#include <cstddef>

namespace sr::plugins::system {

namespace {

// Reads exactly `digits` decimal digits at `pos`, advancing it.
std::optional<int> read_number(std::string_view s, std::size_t& pos, std::size_t digits) {
    if (pos + digits > s.size()) return std::nullopt;
    int n = 0;
    for (std::size_t i = 0; i < digits; ++i) {
        const char c = s[pos + i];
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    pos += digits;
    return n;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
    if (pos >= s.size() || s[pos] != c) return false;
    ++pos;
    return true;
}

} // namespace

std::optional<int64_t> parse_utc_timestamp_ms(std::string_view s) {
    std::size_t pos = 0;
    const auto y = read_number(s, pos, 4);
    if (!y || !expect(s, pos, '-')) return std::nullopt;
    const auto mo = read_number(s, pos, 2);
    if (!mo || !expect(s, pos, '-')) return std::nullopt;
    const auto d = read_number(s, pos, 2);
    if (!d || pos >= s.size() || (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')) return std::nullopt;
    ++pos;
    const auto h = read_number(s, pos, 2);
    if (!h || !expect(s, pos, ':')) return std::nullopt;
    const auto mi = read_number(s, pos, 2);
    if (!mi) return std::nullopt;
    int sec = 0, ms = 0;
    if (pos < s.size() && s[pos] == ':') {
        ++pos;
        const auto se = read_number(s, pos, 2);
        if (!se) return std::nullopt;
        sec = *se;
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
            ++pos;
            std::size_t digits = 0;
            while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
                if (digits < 3) ms = ms * 10 + (s[pos] - '0');
                ++digits;
                ++pos;
            }
            if (digits == 0) return std::nullopt;
            for (std::size_t i = digits; i < 3; ++i) ms *= 10;
        }
    }
    int offset_min = 0;
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        const int sign = s[pos] == '-' ? -1 : 1;
        ++pos;
        const auto oh = read_number(s, pos, 2);
        if (!oh) return std::nullopt;
        expect(s, pos, ':'); // both +hh:mm and +hhmm
        const auto om = read_number(s, pos, 2);
        if (!om || *oh > 23 || *om > 59) return std::nullopt;
        offset_min = sign * (*oh * 60 + *om);
    } else {
        return std::nullopt; // no zone
    }
    if (pos != s.size()) return std::nullopt;

    using namespace std::chrono;
    const year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
    if (*y < 1970 || !date.ok() || *h > 23 || *mi > 59 || sec > 59) return std::nullopt;
    const int64_t days = sys_days{date}.time_since_epoch().count();
    const int64_t result = days * 86'400'000 + int64_t{*h} * 3'600'000 + int64_t{*mi} * 60'000 + int64_t{sec} * 1000 + ms -
                           int64_t{offset_min} * 60'000;
    if (result < 0) return std::nullopt;
    return result;
}

} // namespace sr::plugins::system
