#include "eval_context.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "eval_error.hpp"
#include "sr/core/mapping/limits.hpp"
#include "value_ops.hpp"

namespace sr::core::mapping::detail {

void eval_context::charge(std::size_t bytes) {
    if (bytes > limits::max_work_bytes - work_)
        throw eval_error(fmt::format("the expressions build more than {} MiB of data", limits::max_work_bytes >> 20));
    work_ += bytes;
}

std::size_t eval_context::remaining() const { return limits::max_work_bytes - work_; }

boost::json::value eval_context::string_value(std::string_view text) {
    if (text.size() > limits::max_string_bytes)
        throw eval_error(fmt::format("the string would be longer than {} bytes", limits::max_string_bytes));
    charge(text.size());
    return boost::json::string(text);
}

void eval_context::charge_copy(const boost::json::value& v) {
    if (v.is_string()) return charge(v.get_string().size());
    if (v.is_array() || v.is_object()) charge(measure(v, remaining()));
}

void eval_context::check_elements(std::size_t n) {
    if (n > limits::max_array_elements)
        throw eval_error(fmt::format("the array would have more than {} elements", limits::max_array_elements));
}

} // namespace sr::core::mapping::detail
