#pragma once
// The operators' meaning: integer arithmetic stays integer while exact, overflow and inexact
// division give doubles, '+' concatenates strings (and arrays), orderings compare numbers with
// numbers and strings with strings. Every failure throws eval_error with a sentence for people.
#include <boost/json/value.hpp>

#include "eval_context.hpp"
#include "program.hpp"
#include "value_ops.hpp"

namespace sr::core::mapping::detail {

boost::json::value arithmetic(op kind, const boost::json::value& left, const boost::json::value& right,
                              eval_context& ctx);
boost::json::value negate(const boost::json::value& v);
// less, less_equal, greater, greater_equal.
bool ordered(op kind, const boost::json::value& left, const boost::json::value& right);

// Number arithmetic shared with sum(), avg() and friends.
boost::json::value add_numbers(number a, number b);
boost::json::value divide_numbers(number a, number b);

} // namespace sr::core::mapping::detail
