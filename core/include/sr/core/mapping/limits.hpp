#pragma once
// Every bound the expression language enforces, in one place. Templates come from users and
// data from the outside world, so each limit turns hostile input into a clean error instead
// of a crash, a hang or an unbounded allocation.
#include <cstddef>

namespace sr::core::mapping::limits {

inline constexpr std::size_t max_expression_bytes = 16 * 1024; // text between {{ and }}
inline constexpr std::size_t max_depth = 64;                  // nesting of an expression's syntax tree
inline constexpr std::size_t max_arguments = 64;              // arguments of one call, items of one literal
inline constexpr std::size_t max_string_bytes = 1024 * 1024;  // any string an expression produces
inline constexpr std::size_t max_array_elements = 100'000;    // any array an expression produces
inline constexpr std::size_t max_range = 10'000;              // range(n)
inline constexpr std::size_t max_output_bytes = 8 * 1024 * 1024; // one rendered template, as JSON
// Everything one render builds, intermediate values included, so a small expression cannot
// make gigabytes of temporaries that it then throws away.
inline constexpr std::size_t max_work_bytes = 32 * 1024 * 1024;
inline constexpr std::size_t max_value_depth = 128;           // JSON nesting walked when comparing or printing
inline constexpr std::size_t max_template_depth = 128;        // JSON nesting of a template (settings)
inline constexpr std::size_t max_format_bytes = 256;          // format_date's format text

} // namespace sr::core::mapping::limits
