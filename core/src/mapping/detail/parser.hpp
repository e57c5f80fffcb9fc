#pragma once
// Recursive descent over the tokens, building a flat program. Both the recursion and the
// resulting tree are bounded by limits::max_depth, checked while parsing, so 10,000 '(' fail
// cleanly instead of overflowing the stack.
#include <string_view>

#include "program.hpp"

namespace sr::core::mapping::detail {

// Throws template_error naming the expression and the position of the problem.
program parse_expression(std::string_view text);

} // namespace sr::core::mapping::detail
