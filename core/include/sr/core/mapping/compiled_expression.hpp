#pragma once
// One expression of the mapping language (the text between {{ and }}), compiled once into a
// compact syntax tree and evaluated against a data scope as often as needed. Immutable after
// compilation: copies are cheap and one instance may be evaluated from many threads at once.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "sr/core/engine/run_machine.hpp"
#include "sr/core/mapping/reference.hpp"

namespace sr::core::mapping {

namespace detail {
struct program;
}

class compiled_expression {
public:
    // Throws template_error naming the expression and the position of the problem.
    static compiled_expression compile(std::string_view text);

    // Throws engine::mapping_error: "{{<expression>}}: <reason>".
    boost::json::value evaluate(const engine::data_scope& scope) const;

    const std::string& text() const;            // as compiled, trimmed
    std::vector<reference> references() const; // distinct (root, field) pairs, path empty

    // The compiled form, for the template code in core/src/mapping (not a stable interface).
    const detail::program& program() const { return *program_; }

private:
    explicit compiled_expression(std::shared_ptr<const detail::program> program) : program_(std::move(program)) {}
    std::shared_ptr<const detail::program> program_;
};

} // namespace sr::core::mapping
