#pragma once
// A node's settings (any JSON) with {{expressions}} in its strings, compiled once. A string that
// is exactly one {{ expr }} is a whole-value reference and renders to the expression's JSON value;
// any other string holding {{ }} renders to text. Constant parts are kept as they are, so
// rendering a constant template is a copy. Immutable after compilation and cheap to copy.
#include <memory>
#include <optional>
#include <vector>

#include <boost/json/value.hpp>

#include "sr/core/engine/run_machine.hpp"
#include "sr/core/mapping/reference.hpp"
#include "sr/core/mapping/template_error.hpp"

namespace sr::core::mapping {

namespace detail {
struct template_data;
}

class compiled_template {
public:
    compiled_template(); // renders null

    // Throws engine::mapping_error "{{<expression>}}: <reason>" (the caller adds the node id).
    boost::json::value render(const engine::data_scope& scope) const;

    // Every root the expressions read, with the expression and where it sits in the template.
    std::vector<reference> references() const;

    bool is_constant() const; // no expressions at all: render is a copy

private:
    friend struct template_compilation try_compile_template(const boost::json::value& settings);
    explicit compiled_template(std::shared_ptr<const detail::template_data> data) : data_(std::move(data)) {}
    std::shared_ptr<const detail::template_data> data_;
};

struct template_compilation {
    std::optional<compiled_template> compiled; // set when there are no errors
    std::vector<template_error> errors;        // every faulty expression, in document order
};

// Compiles every string of `settings`, reporting every faulty expression at once.
template_compilation try_compile_template(const boost::json::value& settings);

// The same, throwing the first error as template_error.
compiled_template compile_template(const boost::json::value& settings);

} // namespace sr::core::mapping
