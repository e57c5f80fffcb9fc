#include "engine_test_support.hpp"

#include <stdexcept>

#include <catch2/catch.hpp>

namespace sr::test {

std::shared_ptr<const execution_plan> graph::compile() const {
    auto parsed = parse_scenario(to_json());
    if (!parsed.definition) throw std::runtime_error("test graph does not parse: " + parsed.problems.front().message);
    auto compiled = compile_plan(std::move(*parsed.definition), test_catalog());
    if (!compiled.plan) throw std::runtime_error("test graph does not compile: " + compiled.problems.front().message);
    return compiled.plan;
}

json::value literal_renderer::render(uint32_t node, const data_scope&) const {
    const auto& settings = plan_->nodes()[node].definition->settings;
    if (settings.is_object() && settings.get_object().contains("fail_mapping"))
        throw mapping_error("cannot map {{missing.output}}");
    return settings;
}

json::value literal_renderer::render_compensation(uint32_t node, const json::value&, const data_scope& scope) const {
    // Stands for "{{output.id}}" of the node being undone.
    const auto* out = scope.resolve(plan_->nodes()[node].definition->id, "output");
    json::value id = out && out->is_object() && out->get_object().contains("id") ? out->get_object().at("id") : json::value();
    return json::object{{"id", id}};
}

driver::driver(std::shared_ptr<const execution_plan> plan, machine_options options)
    : plan_(plan), machine_(plan, [&] {
          if (!options.renderer) options.renderer = std::make_shared<literal_renderer>(plan);
          if (!options.unit_random) options.unit_random = [] { return 0.5; };
          return options;
      }()) {}

const node_record& driver::record(const std::string& node, uint32_t frame) {
    return machine_.record({static_cast<uint32_t>(plan_->index_of(node)), frame});
}

node_result driver::scripted(node_key key) {
    const std::string& id = plan_->nodes()[key.node].definition->id;
    const node_record& r = machine_.record(key);
    auto it = script.find(id);
    if (it != script.end()) return it->second(id, r.attempt, r.input);
    json::object out{{"node", id}};
    if (key.frame != 0) out["item"] = machine_.frame_item(key.frame);
    return node_result::success(std::move(out));
}

void driver::handle(std::vector<run_action>& actions) {
    // Answers may produce more actions; process until quiet.
    while (!actions.empty()) {
        std::vector<run_action> batch;
        batch.swap(actions);
        for (auto& a : batch) {
            const std::string& id = plan_->nodes()[a.key.node].definition->id;
            switch (a.type) {
            case run_action::kind::invoke:
                invoked.push_back(id);
                pending.push_back(a.key);
                max_in_flight = std::max<uint32_t>(max_in_flight, static_cast<uint32_t>(pending.size()));
                break;
            case run_action::kind::wait:
                waits.emplace_back(id, a.at_ms - now_);
                timers_.emplace(a.at_ms, a.key);
                break;
            case run_action::kind::cancel_call:
                cancelled_calls.push_back(id);
                break;
            case run_action::kind::compensate:
                compensated.push_back(id);
                compensation_inputs.push_back(a.input);
                machine_.on_compensated(a.key, true, now_, actions);
                break;
            case run_action::kind::finished:
                finished = true;
                break;
            }
        }
        if (auto_answer && actions.empty() && !pending.empty()) {
            auto keys = pending;
            pending.clear();
            for (auto k : keys) machine_.on_result(k, scripted(k), now_, actions);
        }
    }
}

void driver::answer(node_key key, node_result result) {
    std::erase(pending, key);
    std::vector<run_action> actions;
    machine_.on_result(key, std::move(result), now_, actions);
    handle(actions);
}

void driver::step_pending() {
    auto keys = pending;
    pending.clear();
    std::vector<run_action> actions;
    for (auto k : keys) machine_.on_result(k, scripted(k), now_, actions);
    handle(actions);
}

void driver::fire_next_timer() {
    REQUIRE(!timers_.empty());
    auto it = timers_.begin();
    now_ = std::max(now_, it->first);
    node_key key = it->second;
    timers_.erase(it);
    std::vector<run_action> actions;
    machine_.on_timer(key, now_, actions);
    handle(actions);
}

run_status driver::run(json::value trigger_output) {
    std::vector<run_action> actions;
    machine_.start(std::move(trigger_output), now_, actions);
    handle(actions);
    while (auto_answer && !finished && !timers_.empty()) fire_next_timer();
    return machine_.status();
}

} // namespace sr::test
