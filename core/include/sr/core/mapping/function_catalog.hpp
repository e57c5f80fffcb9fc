#pragma once
// The built-in functions of the expression language, for documentation and editor completion.
#include <span>
#include <string_view>

namespace sr::core::mapping {

struct function_info {
    std::string_view name;
    std::string_view signature; // "substring(s, start[, len])"
    std::string_view category;  // defaults | type | string | number | date | array
    std::string_view summary;
};

std::span<const function_info> builtin_functions();

} // namespace sr::core::mapping
