#include "store/detail/sql_text.hpp"

#include <cctype>
#include <chrono>

#include <boost/json/parse.hpp>
#include <fmt/format.h>

namespace sr::host::detail {

namespace {

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

int to_int(std::string_view s) {
    int v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
}

// "HH:MM" or "HH:MM:SS" or "HH:MM:SS.ffffff".
bool valid_time(std::string_view t) {
    if (t.size() < 5 || t[2] != ':') return false;
    auto hh = t.substr(0, 2), mm = t.substr(3, 2);
    if (!all_digits(hh) || !all_digits(mm) || to_int(hh) > 23 || to_int(mm) > 59) return false;
    if (t.size() == 5) return true;
    if (t[5] != ':' || t.size() < 8) return false;
    auto ss = t.substr(6, 2);
    if (!all_digits(ss) || to_int(ss) > 59) return false;
    if (t.size() == 8) return true;
    auto frac = t.substr(9);
    return t[8] == '.' && frac.size() <= 9 && all_digits(frac);
}

// "Z", "+HH", "+HHMM", "+HH:MM" (or '-').
bool valid_zone(std::string_view z) {
    if (z == "Z") return true;
    if (z.size() < 3 || (z[0] != '+' && z[0] != '-')) return false;
    auto hh = z.substr(1, 2);
    if (!all_digits(hh) || to_int(hh) > 14) return false;
    auto rest = z.substr(3);
    if (!rest.empty() && rest[0] == ':') rest.remove_prefix(1);
    return rest.empty() || (rest.size() == 2 && all_digits(rest) && to_int(rest) <= 59);
}

} // namespace

bool is_uuid(std::string_view text) {
    if (text.size() != 36) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
    }
    return true;
}

std::optional<std::string> normalize_timestamp(std::string_view text) {
    if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    auto yy = text.substr(0, 4), mo = text.substr(5, 2), dd = text.substr(8, 2);
    if (!all_digits(yy) || !all_digits(mo) || !all_digits(dd)) return std::nullopt;
    std::chrono::year_month_day date{std::chrono::year{to_int(yy)}, std::chrono::month{static_cast<unsigned>(to_int(mo))},
                                     std::chrono::day{static_cast<unsigned>(to_int(dd))}};
    if (!date.ok()) return std::nullopt;
    std::string day(text.substr(0, 10));
    if (text.size() == 10) return day + "T00:00:00Z";
    if (text[10] != 'T' && text[10] != ' ') return std::nullopt;
    auto rest = text.substr(11);
    auto zone_at = rest.find_first_of("Z+-");
    auto time = rest.substr(0, zone_at);
    auto zone = zone_at == std::string_view::npos ? std::string_view("Z") : rest.substr(zone_at);
    if (!valid_time(time) || !valid_zone(zone)) return std::nullopt;
    return fmt::format("{}T{}{}", day, time, zone);
}

std::string iso_sql(std::string_view column) {
    return fmt::format(R"(to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))", column);
}

std::string iso_us_sql(std::string_view column) {
    return fmt::format(R"(to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))", column);
}

boost::json::value json_field(const pqxx::field& field) {
    if (field.is_null()) return nullptr;
    return boost::json::parse(std::string_view(field.c_str(), field.size()));
}

std::string text_field(const pqxx::field& field) {
    return field.is_null() ? std::string() : std::string(field.c_str(), field.size());
}

} // namespace sr::host::detail
