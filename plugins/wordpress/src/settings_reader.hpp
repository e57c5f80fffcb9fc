#pragma once
// Reads a node's settings with the limits of the action's JSON Schema, so a call that skipped
// the host's schema validation still gets a clean error. Absent and null members are the
// same. The first problem is kept as a fatal action_validation_failed naming the setting;
// reads after a problem return nullopt.
#include <scenario/sdk.hpp>

#include <boost/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sr::plugins::wordpress {

class settings_reader {
public:
    explicit settings_reader(const boost::json::object& settings) : settings_(settings) {}

    // A string of at most `max_chars` Unicode characters.
    std::optional<std::string> text(std::string_view name, std::size_t max_chars, bool required = false);
    // One of `allowed`.
    std::optional<std::string> choice(std::string_view name, std::initializer_list<std::string_view> allowed);
    // An integer in [min, max]; a whole-number double or a string of digits is accepted
    // (templates such as "{{output.id}}" may produce either).
    std::optional<int64_t> integer(std::string_view name, int64_t min, int64_t max, bool required = false);
    std::optional<bool> boolean(std::string_view name);
    // An array of at most `max_items` positive ids (integers or digit strings), deduplicated.
    std::optional<std::vector<int64_t>> ids(std::string_view name, std::size_t max_items);

    bool ok() const noexcept { return !error_; }
    const sdk::result& error() const { return *error_; }

private:
    const boost::json::value* find(std::string_view name) const;
    void fail(std::string_view name, std::string_view problem);

    const boost::json::object& settings_;
    std::optional<sdk::result> error_;
};

// An integer from a JSON number (whole) or a string of digits.
std::optional<int64_t> json_integer(const boost::json::value& v);

// The number of Unicode characters of UTF-8 text (continuation bytes are not counted).
std::size_t utf8_length(std::string_view text);

} // namespace sr::plugins::wordpress
