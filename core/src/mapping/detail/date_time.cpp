#include "date_time.hpp"

#include <chrono>

#include <fmt/format.h>

namespace sr::core::mapping::detail {
namespace {

using namespace std::chrono;

constexpr int64_t ms_per_day = 86'400'000;

// Reads exactly `n` digits at `pos`.
std::optional<int> digits(std::string_view s, std::size_t& pos, std::size_t n) {
    if (pos + n > s.size()) return std::nullopt;
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        char c = s[pos + i];
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    pos += n;
    return v;
}

bool accept(std::string_view s, std::size_t& pos, char c) {
    if (pos < s.size() && s[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

// "Z", "+HH:MM", "+HHMM", "+HH" or nothing; the offset in minutes east of UTC.
std::optional<int> read_offset(std::string_view s, std::size_t& pos) {
    if (pos == s.size()) return 0;
    if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
        return 0;
    }
    if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
    int sign = s[pos++] == '-' ? -1 : 1;
    auto h = digits(s, pos, 2);
    if (!h || *h > 23) return std::nullopt;
    int m = 0;
    if (pos < s.size()) {
        accept(s, pos, ':');
        auto mm = digits(s, pos, 2);
        if (!mm || *mm > 59) return std::nullopt;
        m = *mm;
    }
    return sign * (*h * 60 + m);
}

constexpr const char* weekday_names[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
constexpr const char* month_names[] = {"January", "February", "March",     "April",   "May",      "June",
                                       "July",    "August",   "September", "October", "November", "December"};

struct broken_down {
    int year, month, day, hour, minute, second, millis, weekday, yearday;
    int64_t seconds; // since the epoch
};

broken_down split(int64_t ms) {
    sys_time<milliseconds> tp{milliseconds{ms}};
    sys_days day = floor<days>(tp);
    year_month_day ymd{day};
    hh_mm_ss<milliseconds> hms{tp - day};
    sys_days jan1 = sys_days{ymd.year() / January / 1};
    broken_down b{};
    b.year = static_cast<int>(ymd.year());
    b.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    b.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    b.hour = static_cast<int>(hms.hours().count());
    b.minute = static_cast<int>(hms.minutes().count());
    b.second = static_cast<int>(hms.seconds().count());
    b.millis = static_cast<int>(hms.subseconds().count());
    b.weekday = static_cast<int>(weekday{day}.c_encoding());
    b.yearday = static_cast<int>((day - jan1).count()) + 1;
    b.seconds = floor<seconds>(tp).time_since_epoch().count();
    return b;
}

} // namespace

std::optional<int64_t> parse_iso_date(std::string_view s) {
    std::size_t pos = 0;
    auto y = digits(s, pos, 4);
    if (!y || !accept(s, pos, '-')) return std::nullopt;
    auto mo = digits(s, pos, 2);
    if (!mo || !accept(s, pos, '-')) return std::nullopt;
    auto d = digits(s, pos, 2);
    if (!d) return std::nullopt;
    year_month_day ymd{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
    if (!ymd.ok()) return std::nullopt;
    int64_t ms = static_cast<int64_t>(sys_days{ymd}.time_since_epoch().count()) * ms_per_day;
    if (pos == s.size()) return ms;
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
    ++pos;
    auto h = digits(s, pos, 2);
    if (!h || *h > 23 || !accept(s, pos, ':')) return std::nullopt;
    auto mi = digits(s, pos, 2);
    if (!mi || *mi > 59) return std::nullopt;
    int sec = 0, millis = 0;
    if (accept(s, pos, ':')) {
        auto ss = digits(s, pos, 2);
        if (!ss || *ss > 59) return std::nullopt;
        sec = *ss;
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
            ++pos;
            std::size_t start = pos;
            int scale = 100;
            while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
                millis += (s[pos] - '0') * scale; // digits past milliseconds are dropped
                scale /= 10;
                ++pos;
            }
            if (pos == start || pos - start > 9) return std::nullopt;
        }
    }
    auto offset = read_offset(s, pos);
    if (!offset || pos != s.size()) return std::nullopt;
    ms += ((*h * 60 + *mi - *offset) * 60 + sec) * int64_t{1000} + millis;
    if (ms < min_date_ms || ms > max_date_ms) return std::nullopt;
    return ms;
}

std::optional<std::string> format_date(int64_t ms, std::string_view format, std::string& out, std::size_t limit) {
    if (ms < min_date_ms || ms > max_date_ms) return std::string("the date is outside the years 0000 to 9999");
    broken_down b = split(ms);
    auto num = [&](int v, int width, char pad = '0') {
        std::string text = fmt::format("{}", v);
        if (static_cast<int>(text.size()) < width) out.append(static_cast<std::size_t>(width) - text.size(), pad);
        out.append(text);
    };
    for (std::size_t i = 0; i < format.size(); ++i) {
        if (out.size() > limit) return fmt::format("the text would be longer than {} bytes", limit);
        char c = format[i];
        if (c != '%') {
            out.push_back(c);
            continue;
        }
        if (++i == format.size()) return std::string("the format ends with a lone '%'");
        switch (format[i]) {
        case 'Y': num(b.year, 4); break;
        case 'y': num(b.year % 100, 2); break;
        case 'm': num(b.month, 2); break;
        case 'd': num(b.day, 2); break;
        case 'e': num(b.day, 2, ' '); break;
        case 'j': num(b.yearday, 3); break;
        case 'H': num(b.hour, 2); break;
        case 'I': num(b.hour % 12 == 0 ? 12 : b.hour % 12, 2); break;
        case 'M': num(b.minute, 2); break;
        case 'S': num(b.second, 2); break;
        case 'L': num(b.millis, 3); break;
        case 'p': out.append(b.hour < 12 ? "AM" : "PM"); break;
        case 'a': out.append(std::string_view(weekday_names[b.weekday]).substr(0, 3)); break;
        case 'A': out.append(weekday_names[b.weekday]); break;
        case 'b': out.append(std::string_view(month_names[b.month - 1]).substr(0, 3)); break;
        case 'B': out.append(month_names[b.month - 1]); break;
        case 'u': num(b.weekday == 0 ? 7 : b.weekday, 1); break;
        case 'w': num(b.weekday, 1); break;
        case 'F': out.append(fmt::format("{:04}-{:02}-{:02}", b.year, b.month, b.day)); break;
        case 'T': out.append(fmt::format("{:02}:{:02}:{:02}", b.hour, b.minute, b.second)); break;
        case 's': out.append(fmt::format("{}", b.seconds)); break;
        case 'z': out.append("+0000"); break;
        case 'Z': out.append("UTC"); break;
        case '%': out.push_back('%'); break;
        default: return fmt::format("unknown format specifier '%{}'", format[i]);
        }
    }
    if (out.size() > limit) return fmt::format("the text would be longer than {} bytes", limit);
    return std::nullopt;
}

} // namespace sr::core::mapping::detail
