// Graph-level checks of the scenario validator: the problem codes, ids and order it reports.
#include <catch2/catch.hpp>

#include "validation_test_support.hpp"

using namespace sr::test;
using sr::core::validation::validation_options;

TEST_CASE("a valid scenario gives a plan and no problems") {
    scenario_builder b;
    b.node("check", "demo.route")
        .node("post", "demo.create_post", {{"title", "Hello"}, {"count", 2}})
        .node("skip", "demo.noop")
        .edge("start", "check")
        .edge("check", "post", "true")
        .edge("check", "skip", "false")
        .node("handler", "demo.noop")
        .edge("post", "handler", "", "error");
    auto r = validate(b.to_json());
    INFO(describe(r.problems));
    CHECK(r.problems.empty());
    CHECK(r.ok());
    REQUIRE(r.plan);
    CHECK(r.plan->nodes().size() == 5);
    CHECK(r.plan->edges().size() == 4);
    CHECK(r.plan->nodes()[r.plan->trigger()].definition->id == "start");
}

TEST_CASE("a cycle is reported once with its path and the node id of a member") {
    scenario_builder b;
    b.chain({"a", "b", "c"}).edge("c", "a");
    auto r = validate(b.to_json());
    auto cycles = with_code(r.problems, "cycle");
    INFO(describe(r.problems));
    REQUIRE(cycles.size() == 1);
    CHECK(cycles[0].node_id == "a");
    CHECK(cycles[0].message == "cycle: a -> b -> c -> a");
    CHECK_FALSE(r.plan);
}

TEST_CASE("a node whose edge leads back to itself is a cycle") {
    scenario_builder b;
    b.chain({"a"}).edge("a", "a");
    auto r = validate(b.to_json());
    auto cycles = with_code(r.problems, "cycle");
    REQUIRE(cycles.size() == 1);
    CHECK(cycles[0].node_id == "a");
    CHECK(cycles[0].message == "cycle: a -> a");
}

TEST_CASE("every separate cycle is reported") {
    scenario_builder b;
    b.chain({"a", "b", "c", "d", "e"}).edge("b", "a").edge("e", "d");
    auto r = validate(b.to_json());
    auto cycles = with_code(r.problems, "cycle");
    INFO(describe(r.problems));
    REQUIRE(cycles.size() == 2);
    CHECK(cycles[0].message == "cycle: a -> b -> a");
    CHECK(cycles[1].message == "cycle: d -> e -> d");
}

TEST_CASE("a loop of many nodes names the shortest cycle and every node caught in it") {
    scenario_builder b;
    // a -> b -> c -> a and a -> d -> c: d is in the loop but not on the shortest cycle.
    b.chain({"a", "b", "c"}).node("d", "demo.noop").edge("a", "d").edge("d", "c").edge("c", "a");
    auto r = validate(b.to_json());
    auto cycles = with_code(r.problems, "cycle");
    REQUIRE(cycles.size() == 1);
    CHECK(cycles[0].message == "cycle: a -> b -> c -> a; 4 nodes are caught in this loop: a, b, c, d");
}

TEST_CASE("a node of an integration that is not installed is unknown_integration") {
    scenario_builder b;
    b.chain({"a"}).node("x", "nope.noop").edge("a", "x");
    auto r = validate(b.to_json());
    INFO(describe(r.problems));
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].code == "unknown_integration");
    CHECK(r.problems[0].node_id == "x");
    CHECK(r.problems[0].path == "type");
}

TEST_CASE("a node pinning a plugin major that is not installed is unknown_version listing the majors") {
    scenario_builder b;
    b.chain({"a"}).node("x", "demo.noop", {}, {}, 3).edge("a", "x");
    auto r = validate(b.to_json());
    INFO(describe(r.problems));
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].code == "unknown_version");
    CHECK(r.problems[0].node_id == "x");
    CHECK(r.problems[0].message.find("available: 1, 2") != std::string::npos);
}

TEST_CASE("a node naming an action its plugin major lacks is unknown_action") {
    scenario_builder b;
    // create_post exists in major 1 only.
    b.chain({"a"}).node("x", "demo.create_post", {{"title", "t"}, {"count", 1}}, {}, 2).edge("a", "x");
    auto r = validate(b.to_json());
    INFO(describe(r.problems));
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].code == "unknown_action");
    CHECK(r.problems[0].node_id == "x");
}

TEST_CASE("a deprecated action is a warning and still gives a plan") {
    scenario_builder b;
    b.chain({"a"}).node("old", "demo.old_thing").edge("a", "old");
    auto r = validate(b.to_json());
    CHECK(r.problems.empty());
    CHECK(r.plan);
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].code == "deprecated_action");
    CHECK(r.warnings[0].node_id == "old");
}

TEST_CASE("an edge leaving by a handle its source does not declare is unknown_handle") {
    scenario_builder b;
    b.chain({"check"}, "demo.route").node("a", "demo.noop").edge("check", "a", "maybe");
    auto r = validate(b.to_json());
    INFO(describe(r.problems));
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].code == "unknown_handle");
    CHECK(r.problems[0].edge_id == "check->a:maybe");
    CHECK(r.problems[0].node_id == "check");
    CHECK(r.problems[0].path == "sourceHandle");
    CHECK(r.problems[0].message.find("true, false") != std::string::npos);
}

TEST_CASE("an edge without a handle from a node with declared outputs is unknown_handle") {
    scenario_builder b;
    b.chain({"check"}, "demo.route").node("a", "demo.noop").edge("check", "a");
    auto r = validate(b.to_json());
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].code == "unknown_handle");
    CHECK(r.problems[0].edge_id == "check->a");
}

TEST_CASE("an action without declared outputs accepts only the default handle") {
    scenario_builder b;
    b.chain({"a"}).node("b", "demo.noop").edge("a", "b", "true");
    auto r = validate(b.to_json());
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].code == "unknown_handle");
    CHECK(r.problems[0].edge_id == "a->b:true");
}

TEST_CASE("an error edge takes no handle or the 'error' handle") {
    scenario_builder ok;
    ok.chain({"a"}).node("h1", "demo.noop").node("h2", "demo.noop").edge("a", "h1", "", "error").edge("a", "h2", "error",
                                                                                                          "error");
    CHECK(validate(ok.to_json()).problems.empty());

    scenario_builder bad;
    bad.chain({"check"}, "demo.route").node("h", "demo.noop").edge("check", "h", "true", "error");
    auto r = validate(bad.to_json());
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].code == "unknown_handle");
    CHECK(r.problems[0].edge_id == "check->h:true");
}

TEST_CASE("a node that cannot be reached from the trigger is unreachable_node") {
    scenario_builder b;
    b.chain({"a"}).node("island", "demo.noop").node("after_island", "demo.noop").edge("island", "after_island");
    auto r = validate(b.to_json());
    INFO(describe(r.problems));
    REQUIRE(r.problems.size() == 2);
    CHECK(r.problems[0].code == "unreachable_node");
    CHECK(r.problems[0].node_id == "island");
    CHECK(r.problems[1].node_id == "after_island");
}

TEST_CASE("a node reached only by an error edge is reachable") {
    scenario_builder b;
    b.chain({"a"}).node("handler", "demo.noop").edge("a", "handler", "", "error");
    CHECK(validate(b.to_json()).problems.empty());
}

TEST_CASE("a missing connection is reported only when connections are required") {
    scenario_builder b;
    b.chain({"a"}).node("post", "demo.create_post", {{"title", "t"}, {"count", 1}}).edge("a", "post");
    CHECK(validate(b.to_json()).problems.empty());

    validation_options strict;
    strict.require_connections = true;
    auto r = validate(b.to_json(), strict);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].code == "missing_connection");
    CHECK(r.problems[0].node_id == "post");
    CHECK(r.problems[0].path == "data.connection_id");
    CHECK(r.problems[0].message.find("api_key") != std::string::npos);
}

TEST_CASE("a node with a connection id satisfies required connections") {
    scenario_builder b;
    b.chain({"a"})
        .node("post", "demo.create_post", {{"title", "t"}, {"count", 1}}, {{"connection_id", "conn-1"}})
        .edge("a", "post");
    validation_options strict;
    strict.require_connections = true;
    CHECK(validate(b.to_json(), strict).problems.empty());
}

TEST_CASE("malformed scenario JSON gives the parser's problems and no plan") {
    auto r = validate(json::parse(R"({"nodes": [{"type": "demo.noop"}], "edges": 3})"));
    INFO(describe(r.problems));
    CHECK_FALSE(r.plan);
    REQUIRE(r.problems.size() == 2);
    CHECK(r.problems[0].code == "invalid_field");
    CHECK(r.problems[0].path == "nodes[0].id");
    CHECK(r.problems[1].path == "edges");
    CHECK(validate(json::parse("[1, 2]")).problems.at(0).code == "invalid_scenario");
}

TEST_CASE("structural problems of compile_plan are passed through") {
    scenario_builder b;
    b.chain({"a"}).node("second", "demo.manual").edge("a", "ghost");
    auto r = validate(b.to_json());
    INFO(describe(r.problems));
    auto several = with_code(r.problems, "several_triggers");
    auto dangling = with_code(r.problems, "unknown_edge_node");
    REQUIRE(several.size() == 1);
    REQUIRE(dangling.size() == 1);
    CHECK(dangling[0].edge_id == "a->ghost");
    CHECK_FALSE(r.plan);
}

TEST_CASE("a scenario without a trigger reports no_trigger and no unreachable nodes") {
    scenario_builder b(false);
    b.node("a", "demo.noop").node("b", "demo.noop").edge("a", "b");
    auto r = validate(b.to_json());
    INFO(describe(r.problems));
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].code == "no_trigger");
}

TEST_CASE("different problems in one graph are all reported at once in node order then code") {
    scenario_builder b;
    b.chain({"a", "b"})
        .edge("b", "a")                                            // cycle a -> b -> a
        .node("x", "nope.thing")                                   // unknown integration, unreachable
        .node("post", "demo.create_post", {{"count", "many"}})    // bad settings
        .edge("a", "post")
        .node("check", "demo.route")
        .edge("a", "check")
        .node("c", "demo.noop", {{"text", "{{ghost.output}}"}}) // unknown reference
        .edge("check", "c", "perhaps");                            // unknown handle
    auto r = validate(b.to_json());
    INFO(describe(r.problems));
    std::vector<std::pair<std::string, std::string>> got;
    for (const auto& p : r.problems) got.emplace_back(p.node_id, p.code);
    const std::vector<std::pair<std::string, std::string>> expected{
        {"a", "cycle"},
        {"x", "unknown_integration"},
        {"x", "unreachable_node"},
        {"post", "invalid_settings"}, // count is not an integer
        {"post", "invalid_settings"}, // title is missing
        {"check", "unknown_handle"},
        {"c", "unknown_reference"},
    };
    CHECK(got == expected);
    CHECK_FALSE(r.plan);
}

TEST_CASE("validating the same scenario twice gives the same problems in the same order") {
    scenario_builder b;
    b.chain({"a", "b", "c"}).edge("c", "a").node("x", "nope.x").node("y", "demo.noop", {{"v", "{{zz.output}}"}});
    auto first = validate(b.to_json());
    auto second = validate(b.to_json());
    REQUIRE(first.problems.size() == second.problems.size());
    for (std::size_t i = 0; i < first.problems.size(); ++i) {
        CHECK(first.problems[i].code == second.problems[i].code);
        CHECK(first.problems[i].node_id == second.problems[i].node_id);
        CHECK(first.problems[i].message == second.problems[i].message);
    }
}
