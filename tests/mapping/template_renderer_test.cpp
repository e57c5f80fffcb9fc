// The engine's renderer: compiles a plan's settings once, renders nodes and compensation
// inputs, and names the node in every error. The last test drives the real run machine.
#include <catch2/catch.hpp>

#include "mapping_test_support.hpp"
#include "sr/core/engine/action_catalog.hpp"
#include "sr/core/engine/execution_plan.hpp"
#include "sr/core/engine/run_machine.hpp"
#include "sr/core/mapping/template_renderer.hpp"
#include "sr/core/model/scenario.hpp"

using namespace sr::test;
using namespace sr::core::engine;
using sr::core::mapping::template_renderer;

namespace {

const action_catalog& catalog() {
    static const action_catalog c = [] {
        action_catalog cat;
        cat.add_manifest(json::parse(R"({
          "id": "t", "name": "Test", "version": "1.0.0",
          "actions": [
            {"id": "noop", "name": "No-op", "side_effects": false},
            {"id": "effect", "name": "Effect", "side_effects": true,
             "compensation": {"action": "undo", "input": {"id": "{{output.id}}", "title": "{{input.title}}"}}},
            {"id": "undo", "name": "Undo", "side_effects": true}
          ],
          "triggers": [{"id": "manual", "name": "Manual", "kind": "manual"}]
        })"));
        return cat;
    }();
    return c;
}

json::object node(const std::string& id, const std::string& type, json::value settings) {
    return json::object{{"id", id}, {"type", "t." + type}, {"version", 1}, {"position", {{"x", 0}, {"y", 0}}},
                        {"data", {{"settings", std::move(settings)}}}};
}

json::object edge(const std::string& from, const std::string& to) {
    return json::object{{"id", from + "->" + to}, {"source", from}, {"target", to}};
}

std::shared_ptr<const execution_plan> plan_of(json::array nodes, json::array edges) {
    auto parsed = sr::core::parse_scenario(json::object{{"nodes", std::move(nodes)}, {"edges", std::move(edges)}});
    REQUIRE(parsed.definition);
    auto compiled = compile_plan(std::move(*parsed.definition), catalog());
    REQUIRE(compiled.plan);
    return compiled.plan;
}

// trigger -> create -> notify, plus two nodes whose settings are faulty.
std::shared_ptr<const execution_plan> sample_plan(bool with_faulty_nodes) {
    json::array nodes = {
        node("trigger", "manual", json::object()),
        node("create", "effect", json::parse(R"({"title": "{{trigger.body.title}}", "count": "{{trigger.body.n * 2}}"})")),
        node("notify", "noop", json::parse(R"({"text": "Post {{create.output.id}} created", "id": "{{create.output.id}}"})")),
    };
    json::array edges = {edge("trigger", "create"), edge("create", "notify")};
    if (with_faulty_nodes) {
        nodes.push_back(node("bad", "noop", json::parse(R"({"x": "{{1 +}}", "y": "{{nope(}}"})")));
        nodes.push_back(node("boom", "noop", json::parse(R"({"x": "{{trigger.body.title * 2}}"})")));
        edges.push_back(edge("trigger", "bad"));
        edges.push_back(edge("trigger", "boom"));
    }
    return plan_of(std::move(nodes), std::move(edges));
}

map_scope run_scope() {
    map_scope s;
    s.set("trigger", json::parse(R"({"body": {"title": "T", "n": 21}})"));
    s.set("create", json::parse(R"({"output": {"id": 7}, "input": {"title": "T", "count": 42}})"));
    return s;
}

uint32_t index(const execution_plan& plan, std::string_view id) { return static_cast<uint32_t>(plan.index_of(id)); }

std::string render_failure(const template_renderer& r, uint32_t node, const map_scope& scope) {
    try {
        r.render(node, scope);
    } catch (const mapping_error& e) {
        return e.what();
    }
    return {};
}

} // namespace

TEST_CASE("the renderer renders a node's settings against the run's data") {
    auto plan = sample_plan(true);
    template_renderer renderer(plan);
    CHECK(renderer.render(index(*plan, "notify"), run_scope()) == json::parse(R"({"text": "Post 7 created", "id": 7})"));
    CHECK(renderer.render(index(*plan, "create"), run_scope()) == json::parse(R"({"title": "T", "count": 42})"));
    CHECK(renderer.errors(index(*plan, "notify")).empty());
}

TEST_CASE("a rendering error names the node and the expression") {
    auto plan = sample_plan(true);
    template_renderer renderer(plan);
    CHECK(render_failure(renderer, index(*plan, "boom"), run_scope()) ==
          "node 'boom': {{trigger.body.title * 2}}: cannot multiply a string by a number");
}

TEST_CASE("a node whose settings do not compile fails when rendered, naming the node and every error") {
    auto plan = sample_plan(true);
    template_renderer renderer(plan);
    uint32_t bad = index(*plan, "bad");
    REQUIRE(renderer.errors(bad).size() == 2);
    CHECK(renderer.errors(bad)[1].path() == "y");
    CHECK(render_failure(renderer, bad, run_scope()) ==
          "node 'bad': {{1 +}}: expected a value but found the end of the expression at position 3 (in x) (and 1 more)");
}

TEST_CASE("the compensation input reads the compensated node's output and input") {
    auto plan = sample_plan(false);
    template_renderer renderer(plan);
    uint32_t create = index(*plan, "create");
    const auto& manifest_template = plan->nodes()[create].info->compensation->input;
    CHECK(renderer.render_compensation(create, manifest_template, run_scope()) ==
          json::parse(R"({"id": 7, "title": "T"})"));
}

TEST_CASE("a compensation template other than the manifest's is compiled on first use") {
    auto plan = sample_plan(false);
    template_renderer renderer(plan);
    uint32_t create = index(*plan, "create");
    json::value custom = json::parse(R"({"ref": "{{output.id}}-{{trigger.body.n}}", "whole": "{{output}}"})");
    for (int i = 0; i < 2; ++i) // the second call uses the cached compilation
        CHECK(renderer.render_compensation(create, custom, run_scope()) ==
              json::parse(R"({"ref": "7-21", "whole": {"id": 7}})"));
    try {
        renderer.render_compensation(create, json::parse(R"({"id": "{{output.id +}}"})"), run_scope());
        FAIL("rendered");
    } catch (const mapping_error& e) {
        CHECK_THAT(e.what(), Catch::StartsWith("node 'create': compensation input: {{output.id +}}"));
    }
}

TEST_CASE("the run machine gets typed inputs from the template renderer") {
    auto plan = sample_plan(false);
    machine_options options;
    options.renderer = std::make_shared<template_renderer>(plan);
    run_machine machine(plan, options);
    std::vector<run_action> out;
    machine.start(json::parse(R"({"body": {"title": "Hello", "n": 5}})"), 1'000, out);
    REQUIRE(out.size() == 1);
    REQUIRE(out[0].type == run_action::kind::invoke);
    node_key create = out[0].key;
    CHECK(machine.record(create).input == json::parse(R"({"title": "Hello", "count": 10})"));

    out.clear();
    machine.on_result(create, node_result::success(json::parse(R"({"id": 99})")), 1'001, out);
    REQUIRE(out.size() == 1);
    REQUIRE(out[0].type == run_action::kind::invoke);
    CHECK(machine.record(out[0].key).input == json::parse(R"({"text": "Post 99 created", "id": 99})"));
}
