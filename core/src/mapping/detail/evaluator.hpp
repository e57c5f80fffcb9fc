#pragma once
// Walks a program. Recursion follows the syntax tree, whose height the parser bounded.
#include <cstdint>

#include <boost/json/value.hpp>

#include "eval_context.hpp"
#include "operand.hpp"
#include "program.hpp"

namespace sr::core::mapping::detail {

// Throws eval_error.
operand evaluate(const program& p, uint32_t node, eval_context& ctx);

// The whole expression, as a value the caller owns. Throws eval_error.
boost::json::value run(const program& p, eval_context& ctx);

} // namespace sr::core::mapping::detail
