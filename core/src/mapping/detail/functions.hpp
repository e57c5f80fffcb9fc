#pragma once
// The implementations behind function_table(), grouped by category in functions_*.cpp.
#include <string_view>

#include "call_args.hpp"
#include "operand.hpp"

namespace sr::core::mapping::detail {

// A produced string, checked against the size limits and charged to the render.
inline operand string_result(call_args& a, std::string_view text) {
    return operand(a.context().string_value(text));
}

#define SR_MAPPING_FUNCTIONS(X)                                                                        \
    X(default) X(coalesce) X(if)                                                                       \
    X(type_of) X(is_null) X(to_string) X(to_number) X(to_bool) X(json_parse) X(json_stringify)        \
    X(upper) X(lower) X(trim) X(length) X(substring) X(replace) X(split) X(join) X(contains)          \
    X(starts_with) X(ends_with) X(pad_start) X(slugify)                                               \
    X(round) X(floor) X(ceil) X(abs) X(min) X(max) X(sum) X(avg)                                      \
    X(now) X(to_date_ms) X(format_date) X(add_ms) X(add_days) X(date_diff_ms)                         \
    X(first) X(last) X(at) X(slice) X(pluck) X(includes) X(flatten) X(unique) X(sort) X(reverse)      \
    X(range) X(keys) X(values) X(get) X(merge)

#define SR_MAPPING_DECLARE(name) operand fn_##name(call_args& args);
SR_MAPPING_FUNCTIONS(SR_MAPPING_DECLARE)
#undef SR_MAPPING_DECLARE

} // namespace sr::core::mapping::detail
