// Handles named by a node's own settings (router.switch: settings.cases[].handle).
#include <catch2/catch.hpp>

#include "validation_test_support.hpp"

using namespace sr::test;

namespace {
const sr::core::engine::action_catalog& switch_catalog() {
    static const sr::core::engine::action_catalog c = [] {
        sr::core::engine::action_catalog cat;
        cat.add_manifest(json::parse(R"({"id": "demo", "name": "Demo", "version": "1.0.0",
          "actions": [{"id": "noop", "name": "No-op", "side_effects": false},
                      {"id": "switch", "name": "Switch", "side_effects": false,
                       "dynamic_outputs": {"setting": "cases", "key": "handle", "extra": ["default"]}}],
          "triggers": [{"id": "manual", "name": "Manual", "kind": "manual"}]})"));
        return cat;
    }();
    return c;
}

json::value switch_graph(const std::string& handle, json::value cases) {
    scenario_builder b;
    b.node("pick", "demo.switch", {{"value", "{{trigger.body.plan}}"}, {"cases", std::move(cases)}})
        .node("out", "demo.noop")
        .edge("start", "pick")
        .edge("pick", "out", handle);
    return b.to_json();
}

json::array two_cases() {
    return json::array{json::object{{"handle", "paid"}, {"equals", "paid"}},
                       json::object{{"handle", "trial"}, {"equals", "trial"}}};
}
} // namespace

TEST_CASE("an edge may leave a switch by a handle its cases name, or by default") {
    for (const char* handle : {"paid", "trial", "default"}) {
        auto r = sr::core::validation::validate_scenario(switch_graph(handle, two_cases()), switch_catalog());
        INFO(handle << "\n" << describe(r.problems));
        CHECK(r.problems.empty());
    }
}

TEST_CASE("an edge leaving a switch by a handle no case names is an unknown handle") {
    auto r = sr::core::validation::validate_scenario(switch_graph("gold", two_cases()), switch_catalog());
    auto found = with_code(r.problems, "unknown_handle");
    REQUIRE(found.size() == 1);
    CHECK(found[0].edge_id == "pick->out:gold");
    CHECK(found[0].message.find("cases[].handle") != std::string::npos);
}

TEST_CASE("switch cases built by an expression accept any handle until the run") {
    auto r = sr::core::validation::validate_scenario(switch_graph("anything", json::value("{{trigger.body.cases}}")),
                                                     switch_catalog());
    INFO(describe(r.problems));
    CHECK(with_code(r.problems, "unknown_handle").empty());
}
