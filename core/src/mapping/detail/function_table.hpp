#pragma once
// The one table of built-in functions: name, arity and implementation, with the documentation
// the editor shows. The parser checks names and arity against it at compile time.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "sr/core/mapping/function_catalog.hpp"

namespace sr::core::mapping::detail {

class call_args;
class operand;

using function_impl = operand (*)(call_args& args);

inline constexpr uint8_t variadic = 255; // bounded by limits::max_arguments

struct function_entry {
    function_info info;
    uint8_t min_args = 0;
    uint8_t max_args = 0;
    function_impl impl = nullptr;
};

std::span<const function_entry> function_table();
std::optional<uint32_t> find_function(std::string_view name);

} // namespace sr::core::mapping::detail
