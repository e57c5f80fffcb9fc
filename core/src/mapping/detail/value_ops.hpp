#pragma once
// What the language means by truth, equality, numbers and text, on Boost.JSON values. Every
// walk over a value is bounded by limits::max_value_depth and throws eval_error beyond it.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace sr::core::mapping::detail {

namespace json = boost::json;

bool truthy(const json::value& v);

// "null", "a boolean", "a number", "a string", "an array", "an object": for messages.
const char* a_type_name(const json::value& v);
// "null", "boolean", "number", "string", "array", "object": type_of().
const char* type_name(const json::value& v);

// A JSON number seen as an int64 when it is one, else as a double.
struct number {
    bool is_int = true;
    int64_t i = 0;
    double d = 0;
    double as_double() const { return is_int ? static_cast<double>(i) : d; }
};
std::optional<number> as_number(const json::value& v);
json::value to_value(number n);
// Throws eval_error when `d` is NaN or infinite.
json::value finite(double d);
// Doubles that hold an integer in int64 range become integers (floor, round, ...).
json::value integral_or_double(double d);

// Deep equality; numbers compare by value across int and double, objects ignore member order.
bool deep_equal(const json::value& a, const json::value& b);
// Consistent with deep_equal.
std::size_t hash_value(const json::value& v);

// The size of `v` as compact JSON, give or take; stops counting once past `limit`.
std::size_t measure(const json::value& v, std::size_t limit);

// Interpolation text: strings as they are, numbers in shortest round-trip form, true/false/null
// as words, arrays and objects as compact JSON. Throws eval_error when `out` would pass `limit`.
void append_text(std::string& out, const json::value& v, std::size_t limit);
void append_json(std::string& out, const json::value& v, std::size_t limit);
void append_number(std::string& out, number n);

} // namespace sr::core::mapping::detail
