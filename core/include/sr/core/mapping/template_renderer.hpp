#pragma once
// The engine's input_renderer: compiles every node's settings once, when the plan is loaded,
// so rendering a node's input is evaluation only. Thread-safe: one renderer serves every run
// of its plan.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sr/core/engine/execution_plan.hpp"
#include "sr/core/engine/run_machine.hpp"
#include "sr/core/mapping/compiled_template.hpp"

namespace sr::core::mapping {

class template_renderer final : public engine::input_renderer {
public:
    // Never throws for bad templates: a node whose settings do not compile fails when it is
    // rendered (the graph validator reports such problems before a scenario is published).
    explicit template_renderer(std::shared_ptr<const engine::execution_plan> plan);

    // Throws engine::mapping_error "node '<id>': {{<expression>}}: <reason>".
    boost::json::value render(uint32_t node, const engine::data_scope& scope) const override;

    // Renders the compensation input of a completed node: the roots `output` and `input` are that
    // node's record; every other root reads `scope` as usual.
    boost::json::value render_compensation(uint32_t node, const boost::json::value& input_template,
                                           const engine::data_scope& scope) const override;

    // The compile errors of a node's settings; empty when they compiled.
    const std::vector<template_error>& errors(uint32_t node) const;

private:
    struct node_templates {
        std::optional<compiled_template> settings;
        std::vector<template_error> errors;
        bool has_compensation = false;
        boost::json::value compensation_source; // the manifest's template, as compiled
        std::optional<compiled_template> compensation;
        std::string compensation_error;
    };
    struct ad_hoc_entry {
        boost::json::value source;
        compiled_template compiled;
    };

    compiled_template compensation_for(uint32_t node, const boost::json::value& input_template) const;
    [[noreturn]] void fail(uint32_t node, std::string_view reason) const;

    std::shared_ptr<const engine::execution_plan> plan_;
    std::vector<node_templates> nodes_;
    mutable std::mutex ad_hoc_mutex_; // templates other than the manifest's, compiled on first use
    mutable std::map<uint32_t, ad_hoc_entry> ad_hoc_;
};

} // namespace sr::core::mapping
