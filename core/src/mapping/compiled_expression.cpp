#include "sr/core/mapping/compiled_expression.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "detail/eval_context.hpp"
#include "detail/eval_error.hpp"
#include "detail/evaluator.hpp"
#include "detail/expression_text.hpp"
#include "detail/parser.hpp"

namespace sr::core::mapping {

compiled_expression compiled_expression::compile(std::string_view text) {
    return compiled_expression(std::make_shared<const detail::program>(detail::parse_expression(detail::trim(text))));
}

boost::json::value compiled_expression::evaluate(const engine::data_scope& scope) const {
    detail::eval_context ctx(scope);
    try {
        return detail::run(*program_, ctx);
    } catch (const detail::eval_error& e) {
        throw engine::mapping_error(detail::runtime_message(program_->text, e.what()));
    }
}

const std::string& compiled_expression::text() const { return program_->text; }

std::vector<reference> compiled_expression::references() const {
    std::vector<reference> out;
    for (const auto& p : program_->paths) {
        if (!p.has_root) continue;
        reference r{p.root, p.field_static ? p.field : std::string(), program_->text, {}};
        if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(std::move(r));
    }
    return out;
}

} // namespace sr::core::mapping
