#include "sr/core/mapping/template_renderer.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace sr::core::mapping {
namespace {

namespace json = boost::json;

// A compensation template reads the compensated node's record as the roots `output` and
// `input`; every other root reads the run as usual.
class compensation_scope final : public engine::data_scope {
public:
    compensation_scope(const engine::data_scope& inner, std::string_view node_id) : inner_(inner), node_id_(node_id) {}

    const json::value* resolve(std::string_view root, std::string_view field) const override {
        if (root != "output" && root != "input") return inner_.resolve(root, field);
        const json::value* record = inner_.resolve(node_id_, root);
        if (!record || field.empty()) return record;
        return record->is_object() ? record->get_object().if_contains(field) : nullptr;
    }

    int64_t now_ms() const override { return inner_.now_ms(); }

private:
    const engine::data_scope& inner_;
    std::string_view node_id_;
};

std::string summary(const std::vector<template_error>& errors) {
    std::string text = errors.front().what();
    if (errors.size() > 1) text += fmt::format(" (and {} more)", errors.size() - 1);
    return text;
}

} // namespace

template_renderer::template_renderer(std::shared_ptr<const engine::execution_plan> plan) : plan_(std::move(plan)) {
    const auto& nodes = plan_->nodes();
    nodes_.resize(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        node_templates& t = nodes_[i];
        if (const scenario_node* def = nodes[i].definition) {
            template_compilation c = try_compile_template(def->settings);
            t.settings = std::move(c.compiled);
            t.errors = std::move(c.errors);
        } else {
            t.settings = compiled_template();
        }
        const engine::action_info* info = nodes[i].info;
        if (!info || !info->compensation) continue;
        t.has_compensation = true;
        t.compensation_source = info->compensation->input;
        template_compilation c = try_compile_template(t.compensation_source);
        t.compensation = std::move(c.compiled);
        if (!c.errors.empty()) t.compensation_error = fmt::format("compensation input: {}", summary(c.errors));
    }
}

void template_renderer::fail(uint32_t node, std::string_view reason) const {
    const scenario_node* def = node < plan_->nodes().size() ? plan_->nodes()[node].definition : nullptr;
    throw engine::mapping_error(fmt::format("node '{}': {}", def ? def->id : std::to_string(node), reason));
}

json::value template_renderer::render(uint32_t node, const engine::data_scope& scope) const {
    if (node >= nodes_.size()) fail(node, "no such node in the plan");
    const node_templates& t = nodes_[node];
    if (!t.errors.empty()) fail(node, summary(t.errors));
    try {
        return t.settings->render(scope);
    } catch (const engine::mapping_error& e) {
        fail(node, e.what());
    }
}

compiled_template template_renderer::compensation_for(uint32_t node, const json::value& input_template) const {
    const node_templates& t = nodes_[node];
    if (t.has_compensation && input_template == t.compensation_source) {
        if (!t.compensation) fail(node, t.compensation_error);
        return *t.compensation;
    }
    std::lock_guard lock(ad_hoc_mutex_);
    auto it = ad_hoc_.find(node);
    if (it != ad_hoc_.end() && it->second.source == input_template) return it->second.compiled;
    template_compilation c = try_compile_template(input_template);
    if (!c.compiled) fail(node, fmt::format("compensation input: {}", summary(c.errors)));
    ad_hoc_[node] = ad_hoc_entry{input_template, *c.compiled};
    return *c.compiled;
}

json::value template_renderer::render_compensation(uint32_t node, const json::value& input_template,
                                                   const engine::data_scope& scope) const {
    if (node >= nodes_.size()) fail(node, "no such node in the plan");
    compiled_template compiled = compensation_for(node, input_template);
    compensation_scope wrapped(scope, plan_->nodes()[node].definition->id);
    try {
        return compiled.render(wrapped);
    } catch (const engine::mapping_error& e) {
        fail(node, fmt::format("compensation input: {}", e.what()));
    }
}

const std::vector<template_error>& template_renderer::errors(uint32_t node) const { return nodes_.at(node).errors; }

} // namespace sr::core::mapping
