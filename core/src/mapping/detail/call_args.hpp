#pragma once
// The arguments of one function call, evaluated on first use: eager functions read them all,
// and if/default/coalesce read only what they need, which is what makes them short-circuit.
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "eval_context.hpp"
#include "function_table.hpp"
#include "operand.hpp"
#include "program.hpp"
#include "value_ops.hpp"

namespace sr::core::mapping::detail {

class call_args {
public:
    call_args(const program& p, const node& call, eval_context& ctx, const function_entry& f);

    std::size_t size() const { return size_; }
    eval_context& context() { return ctx_; }

    const boost::json::value& operator[](std::size_t i);
    operand take(std::size_t i);                                     // the whole argument
    operand project(std::size_t i, const boost::json::value* part); // a part of it, kept valid

    // Typed access; each throws "<fn>() expects ..." naming the argument when it has another type.
    std::string_view string(std::size_t i);
    number num(std::size_t i);
    int64_t integer(std::size_t i);
    const boost::json::array& array(std::size_t i);
    const boost::json::object& object(std::size_t i);

    [[noreturn]] void fail(std::string_view message) const;                  // "<fn>(): message"
    [[noreturn]] void type_error(std::size_t i, std::string_view expected);  // names argument i

private:
    operand& slot(std::size_t i);

    const program& program_;
    const node& call_;
    eval_context& ctx_;
    const function_entry& function_;
    std::size_t size_;
    uint64_t evaluated_ = 0; // bit per argument
    std::array<operand, 4> inline_;
    std::vector<operand> more_; // arguments past the fourth (variadic functions)
};

} // namespace sr::core::mapping::detail
