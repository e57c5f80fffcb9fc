#pragma once
// The state of one render: the scope it reads and the bytes it has built so far, so that all
// the expressions of a template share one budget (limits::max_work_bytes).
#include <cstddef>
#include <string>

#include <boost/json/value.hpp>

#include "sr/core/engine/run_machine.hpp"

namespace sr::core::mapping::detail {

class eval_context {
public:
    explicit eval_context(const engine::data_scope& scope) : scope_(scope) {}

    const engine::data_scope& scope() const { return scope_; }

    // Counts `bytes` more of built data; throws eval_error past the budget.
    void charge(std::size_t bytes);
    std::size_t remaining() const;

    // A produced string: checked against limits::max_string_bytes, then charged.
    boost::json::value string_value(std::string_view text);
    // The bytes a copy of `v` costs: its size for strings, a measure for containers, 0 else.
    void charge_copy(const boost::json::value& v);
    // An array about to receive `n` elements.
    static void check_elements(std::size_t n);

private:
    const engine::data_scope& scope_;
    std::size_t work_ = 0;
};

} // namespace sr::core::mapping::detail
