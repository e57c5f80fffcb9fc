#pragma once
// Helpers for stepping the run machine in tests: a catalog of test actions, scenario
// builders and a driver that answers invoke actions from per-node scripts.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "sr/core/engine/action_catalog.hpp"
#include "sr/core/engine/execution_plan.hpp"
#include "sr/core/engine/run_machine.hpp"
#include "sr/core/model/scenario.hpp"

namespace sr::test {

namespace json = boost::json;
using namespace sr::core;
using namespace sr::core::engine;

// The "t" integration: every flow role the engine knows, as a manifest.
inline const json::value& test_manifest() {
    static const json::value m = json::parse(R"({
      "id": "t", "name": "Test", "version": "1.0.0",
      "actions": [
        {"id": "noop", "name": "No-op", "side_effects": false},
        {"id": "effect", "name": "Effect", "side_effects": true,
         "compensation": {"action": "undo", "input": {"id": "{{output.id}}"}}},
        {"id": "undo", "name": "Undo", "side_effects": true},
        {"id": "route", "name": "If", "side_effects": false, "outputs": ["true", "false"]},
        {"id": "iterate", "name": "Iterate", "side_effects": false, "flow": "iterate"},
        {"id": "aggregate", "name": "Aggregate", "side_effects": false, "flow": "aggregate"},
        {"id": "merge", "name": "Merge", "side_effects": false, "flow": "merge"},
        {"id": "vars", "name": "Set variables", "side_effects": false, "flow": "variables"},
        {"id": "stop", "name": "Stop", "side_effects": false, "flow": "stop"}
      ],
      "triggers": [{"id": "manual", "name": "Manual", "kind": "manual"}]
    })");
    return m;
}

inline const action_catalog& test_catalog() {
    static const action_catalog c = [] {
        action_catalog cat;
        cat.add_manifest(test_manifest());
        return cat;
    }();
    return c;
}

// Builds a scenario: node("a", "noop"), edge("a", "b"), ...
class graph {
public:
    graph() { node("trigger", "manual"); }
    graph& node(const std::string& id, const std::string& action, json::object data = {}) {
        nodes_.push_back(json::object{{"id", id}, {"type", "t." + action}, {"version", 1},
                                      {"position", {{"x", 0}, {"y", 0}}}, {"data", std::move(data)}});
        return *this;
    }
    graph& edge(const std::string& from, const std::string& to, const std::string& handle = "",
                const std::string& kind = "success") {
        json::object e{{"id", from + "->" + to + (handle.empty() ? "" : ":" + handle)}, {"source", from},
                       {"target", to}, {"kind", kind}};
        if (!handle.empty()) e["sourceHandle"] = handle;
        edges_.push_back(std::move(e));
        return *this;
    }
    graph& settings(json::object s) {
        settings_ = std::move(s);
        return *this;
    }
    json::value to_json() const {
        return json::object{{"nodes", nodes_}, {"edges", edges_}, {"settings", settings_}};
    }
    std::shared_ptr<const execution_plan> compile() const;

private:
    json::array nodes_;
    json::array edges_;
    json::object settings_;
};

// Renders settings as they are (no expressions); fails nodes whose settings say "fail_mapping".
class literal_renderer final : public input_renderer {
public:
    explicit literal_renderer(std::shared_ptr<const execution_plan> plan) : plan_(std::move(plan)) {}
    json::value render(uint32_t node, const data_scope& scope) const override;
    json::value render_compensation(uint32_t node, const json::value& input_template,
                                    const data_scope& scope) const override;

private:
    std::shared_ptr<const execution_plan> plan_;
};

// Steps a run: answers each invoke from `script` (by node id; default success with
// {"node": id, "item": <frame item>}), fires waits in time order, records what happened.
class driver {
public:
    using script_fn = std::function<node_result(const std::string& node, uint32_t attempt, const json::value& input)>;

    explicit driver(std::shared_ptr<const execution_plan> plan, machine_options options = {});

    std::map<std::string, script_fn> script;
    bool auto_answer = true; // false: invokes stay pending until answer()

    run_status run(json::value trigger_output = json::object());
    void answer(node_key key, node_result result);
    void step_pending();     // answers every pending invoke with its script
    void fire_next_timer();

    run_machine& machine() { return machine_; }
    int64_t now() const { return now_; }
    std::vector<std::string> invoked;          // node ids in invoke order, one per attempt
    std::vector<std::pair<std::string, int64_t>> waits; // node id, delay from now
    std::vector<std::string> compensated;      // node ids, in compensation order
    std::vector<json::value> compensation_inputs;
    std::vector<node_key> pending;             // invoked, not yet answered
    std::vector<std::string> cancelled_calls;
    bool finished = false;
    uint32_t max_in_flight = 0;
    const node_record& record(const std::string& node, uint32_t frame = 0);

private:
    void handle(std::vector<run_action>& actions);
    node_result scripted(node_key key);
    std::shared_ptr<const execution_plan> plan_;
    run_machine machine_;
    int64_t now_ = 1'000'000;
    std::multimap<int64_t, node_key> timers_;
};

} // namespace sr::test
