#include "sr/core/schedule/cron_expression.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <vector>

#include <fmt/format.h>

namespace sr::core::schedule {

namespace {

struct field_spec {
    const char* name;
    unsigned min;
    unsigned max; // day-of-week accepts 7 (Sunday) and folds it onto 0 afterwards
    const std::array<const char*, 13>* names; // index = value; nullptr entries unused
};

constexpr std::array<const char*, 13> month_names{nullptr, "JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                  "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<const char*, 13> weekday_names{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT",
                                                    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};

constexpr field_spec second_spec{"second", 0, 59, nullptr};
constexpr field_spec minute_spec{"minute", 0, 59, nullptr};
constexpr field_spec hour_spec{"hour", 0, 23, nullptr};
constexpr field_spec day_spec{"day-of-month", 1, 31, nullptr};
constexpr field_spec month_spec{"month", 1, 12, &month_names};
constexpr field_spec weekday_spec{"day-of-week", 0, 7, &weekday_names};

struct field_error {
    std::string field;
    std::string why;
};

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (;;) {
        auto end = text.find(separator, start);
        parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) return parts;
        start = end + 1;
    }
}

std::vector<std::string_view> split_whitespace(std::string_view text) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        auto start = i;
        while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        if (i > start) words.push_back(text.substr(start, i - start));
    }
    return words;
}

bool iequals(std::string_view a, const char* b) {
    std::string_view bv(b);
    if (a.size() != bv.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(a[i])) != bv[i]) return false;
    return true;
}

// A number or (for month and day-of-week) a three-letter name.
unsigned parse_value(std::string_view token, const field_spec& spec) {
    if (token.empty()) throw field_error{spec.name, "a value is missing"};
    unsigned value = 0;
    auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (ec == std::errc{} && end == token.data() + token.size()) {
        if (value < spec.min || value > spec.max)
            throw field_error{spec.name, fmt::format("{} is out of range {}-{}", token, spec.min, spec.max)};
        return value;
    }
    if (ec == std::errc::result_out_of_range)
        throw field_error{spec.name, fmt::format("{} is out of range {}-{}", token, spec.min, spec.max)};
    if (spec.names != nullptr)
        for (unsigned i = 0; i < spec.names->size(); ++i)
            if ((*spec.names)[i] != nullptr && iequals(token, (*spec.names)[i])) return i;
    for (char c : token)
        if (c == 'L' || c == 'W' || c == '#' || c == '?')
            throw field_error{spec.name, fmt::format("'{}' uses {}, which is not supported", token, c)};
    throw field_error{spec.name, fmt::format("'{}' is not a {}", token,
                                             spec.names != nullptr ? "number or name" : "number")};
}

unsigned parse_step(std::string_view token, const field_spec& spec) {
    unsigned step = 0;
    auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), step);
    if (token.empty() || ec != std::errc{} || end != token.data() + token.size())
        throw field_error{spec.name, fmt::format("step '{}' is not a number", token)};
    if (step == 0) throw field_error{spec.name, "a step of 0 is not allowed"};
    return step;
}

// One list item: "*", "a", "a-b", each optionally followed by "/step" ("a/step" = "a-max/step").
template <std::size_t N>
void parse_item(std::string_view item, const field_spec& spec, std::bitset<N>& bits) {
    if (item.empty()) throw field_error{spec.name, "empty list item"};
    auto slash = item.find('/');
    auto range = item.substr(0, slash);
    unsigned step = 1;
    if (slash != std::string_view::npos) step = parse_step(item.substr(slash + 1), spec);
    unsigned low = spec.min;
    unsigned high = spec.max == 7 ? 6 : spec.max; // "*" in day-of-week is 0-6
    if (range != "*") {
        auto dash = range.find('-');
        low = parse_value(range.substr(0, dash), spec);
        if (dash != std::string_view::npos) {
            high = parse_value(range.substr(dash + 1), spec);
            if (high < low)
                throw field_error{spec.name, fmt::format("range {} runs backwards", range)};
        } else if (slash == std::string_view::npos) {
            high = low;
        } else {
            high = spec.max == 7 ? 6 : spec.max;
        }
    }
    for (unsigned v = low; v <= high; v += step) bits.set(spec.max == 7 && v == 7 ? 0 : v);
}

template <std::size_t N>
void parse_field(std::string_view text, const field_spec& spec, std::bitset<N>& bits) {
    for (auto item : split(text, ',')) parse_item(item, spec, bits);
}

std::string_view expand_macro(std::string_view word) {
    if (word == "@yearly" || word == "@annually") return "0 0 1 1 *";
    if (word == "@monthly") return "0 0 1 * *";
    if (word == "@weekly") return "0 0 * * 0";
    if (word == "@daily" || word == "@midnight") return "0 0 * * *";
    if (word == "@hourly") return "0 * * * *";
    if (word == "@reboot") throw field_error{"expression", "@reboot is not supported"};
    throw field_error{"expression", fmt::format("unknown macro '{}'", word)};
}

} // namespace

class cron_parser {
public:
    static cron_expression parse(std::string_view text) {
        cron_expression expr;
        expr.text_ = std::string(text);
        auto words = split_whitespace(text);
        if (words.empty()) throw field_error{"expression", "the expression is empty"};
        if (words.front().front() == '@') {
            if (words.size() != 1)
                throw field_error{"expression", "a macro such as @daily takes no other fields"};
            words = split_whitespace(expand_macro(words.front()));
        }
        if (words.size() != 5 && words.size() != 6)
            throw field_error{"expression",
                              fmt::format("expected 5 fields (minute hour day-of-month month day-of-week) "
                                          "or 6 with seconds first, got {}", words.size())};
        std::size_t i = 0;
        expr.has_seconds_ = words.size() == 6;
        if (expr.has_seconds_) parse_field(words[i++], second_spec, expr.seconds_);
        else expr.seconds_.set(0);
        parse_field(words[i++], minute_spec, expr.minutes_);
        parse_field(words[i++], hour_spec, expr.hours_);
        expr.days_star_ = words[i].front() == '*';
        parse_field(words[i++], day_spec, expr.days_);
        parse_field(words[i++], month_spec, expr.months_);
        expr.weekdays_star_ = words[i].front() == '*';
        parse_field(words[i++], weekday_spec, expr.weekdays_);
        return expr;
    }
};

cron_parse_result cron_expression::parse(std::string_view text) {
    cron_parse_result result;
    try {
        result.expression = cron_parser::parse(text);
    } catch (const field_error& e) {
        result.field = e.field;
        result.error = e.field + ": " + e.why;
    }
    return result;
}

bool cron_expression::day_matches(unsigned day_of_month, unsigned weekday) const {
    bool day = days_.test(day_of_month);
    bool week = weekdays_.test(weekday);
    if (days_star_ || weekdays_star_) return day && week;
    return day || week;
}

} // namespace sr::core::schedule
