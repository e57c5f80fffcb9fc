// Mapping references must read nodes that run before the reader.
#include <catch2/catch.hpp>

#include "validation_test_support.hpp"

using namespace sr::test;

TEST_CASE("a reference to an upstream node is accepted") {
    scenario_builder b;
    b.chain({"a", "b", "c"}).node("d", "demo.noop", {{"v", "{{a.output.id}}"}, {"w", "id {{start.output.x}}"}}).edge("c", "d");
    auto r = validate(b.to_json());
    INFO(describe(r.problems));
    CHECK(r.problems.empty());
}

TEST_CASE("a reference to a node on another branch is reference_not_upstream") {
    scenario_builder b;
    b.chain({"a"})
        .node("left", "demo.noop")
        .node("right", "demo.noop", {{"v", "{{left.output.id}}"}})
        .edge("a", "left")
        .edge("a", "right");
    auto r = validate(b.to_json());
    INFO(describe(r.problems));
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].code == "reference_not_upstream");
    CHECK(r.problems[0].node_id == "right");
    CHECK(r.problems[0].path == "settings.v");
    CHECK(r.problems[0].message.find("left.output.id") != std::string::npos);
}

TEST_CASE("a reference to a downstream node is reference_not_upstream") {
    scenario_builder b;
    b.chain({"a", "b"});
    b.node("c", "demo.noop", {{"v", {{"deep", "{{b.output}}"}}}}).edge("start", "c").edge("c", "a");
    auto r = validate(b.to_json());
    // a reads nothing; c runs before a and b, so c reading b is wrong.
    INFO(describe(r.problems));
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].code == "reference_not_upstream");
    CHECK(r.problems[0].node_id == "c");
    CHECK(r.problems[0].path == "settings.v.deep");
}

TEST_CASE("a node reading its own output is reference_not_upstream") {
    scenario_builder b;
    b.chain({"a"}).node("self", "demo.noop", {{"v", "{{self.output}}"}}).edge("a", "self");
    auto r = validate(b.to_json());
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].code == "reference_not_upstream");
    CHECK(r.problems[0].node_id == "self");
}

TEST_CASE("a reference to a node that does not exist is unknown_reference") {
    scenario_builder b;
    b.chain({"a"}).node("n", "demo.noop", {{"v", "{{ghost.output.id}}"}}).edge("a", "n");
    auto r = validate(b.to_json());
    INFO(describe(r.problems));
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].code == "unknown_reference");
    CHECK(r.problems[0].node_id == "n");
    CHECK(r.problems[0].path == "settings.v");
    CHECK(r.problems[0].message.find("ghost") != std::string::npos);
}

TEST_CASE("trigger and vars and run can always be read") {
    scenario_builder b;
    b.chain({"a"})
        .node("n", "demo.noop", {{"t", "{{trigger.body.id}}"}, {"v", "{{vars.limit}}"}, {"r", "{{run.id}}"}})
        .edge("a", "n");
    auto r = validate(b.to_json());
    INFO(describe(r.problems));
    CHECK(r.problems.empty());
}

TEST_CASE("a node reached through an error edge reads the failed node as upstream") {
    scenario_builder b;
    b.chain({"a"}).node("handler", "demo.noop", {{"why", "{{a.error.message}}"}}).edge("a", "handler", "", "error");
    auto r = validate(b.to_json());
    INFO(describe(r.problems));
    CHECK(r.problems.empty());
}

TEST_CASE("a reference through a merge of two branches sees both branches") {
    scenario_builder b;
    b.chain({"a"})
        .node("left", "demo.noop")
        .node("right", "demo.noop")
        .node("join", "demo.noop", {{"l", "{{left.output}}"}, {"r", "{{right.output}}"}})
        .edge("a", "left")
        .edge("a", "right")
        .edge("left", "join")
        .edge("right", "join");
    auto r = validate(b.to_json());
    INFO(describe(r.problems));
    CHECK(r.problems.empty());
}

TEST_CASE("roots named in the options are allowed and the defaults can be replaced") {
    scenario_builder b;
    b.chain({"a"}).node("n", "demo.noop", {{"i", "{{item.id}}"}, {"v", "{{vars.x}}"}}).edge("a", "n");
    auto by_default = validate(b.to_json());
    REQUIRE(by_default.problems.size() == 1);
    CHECK(by_default.problems[0].code == "unknown_reference");
    CHECK(by_default.problems[0].path == "settings.i");

    sr::core::validation::validation_options options;
    options.scope_roots = {"trigger", "item"};
    auto custom = validate(b.to_json(), options);
    REQUIRE(custom.problems.size() == 1);
    CHECK(custom.problems[0].path == "settings.v");
}

TEST_CASE("a malformed expression does not hide the other references of its node") {
    scenario_builder b;
    b.chain({"a"})
        .node("n", "demo.noop", {{"bad", "{{ (1 + }}"}, {"list", {"x", "{{ghost.output}}"}}})
        .edge("a", "n");
    auto r = validate(b.to_json());
    INFO(describe(r.problems));
    REQUIRE(r.problems.size() == 2);
    CHECK(r.problems[0].code == "invalid_expression");
    CHECK(r.problems[0].path == "settings.bad");
    CHECK(r.problems[1].code == "unknown_reference");
    CHECK(r.problems[1].path == "settings.list[1]");
}
