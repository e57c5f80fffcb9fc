// Settings against the action's settings_schema (valijson), with expressions left for the run.
#include <catch2/catch.hpp>

#include "validation_test_support.hpp"

using namespace sr::test;

namespace {

json::value post_scenario(json::object settings) {
    scenario_builder b;
    b.chain({"a"}).node("post", "demo.create_post", std::move(settings)).edge("a", "post");
    return b.to_json();
}

} // namespace

TEST_CASE("settings of the wrong type are invalid_settings naming the field") {
    auto r = validate(post_scenario({{"title", 42}, {"count", 1}}));
    INFO(describe(r.problems));
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].code == "invalid_settings");
    CHECK(r.problems[0].node_id == "post");
    CHECK(r.problems[0].path == "settings.title");
    CHECK(r.problems[0].message.starts_with("settings.title: "));
    CHECK_FALSE(r.plan);
}

TEST_CASE("a missing required setting is reported with the missing field's path") {
    auto r = validate(post_scenario({{"title", "Hello"}}));
    INFO(describe(r.problems));
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].code == "invalid_settings");
    CHECK(r.problems[0].path == "settings.count");
    CHECK(r.problems[0].message.find("count") != std::string::npos);
}

TEST_CASE("a schema error inside a nested object names the nested path") {
    auto r = validate(post_scenario({{"title", "t"}, {"count", 1}, {"author", {{"name", "Ann"}, {"age", "old"}}}}));
    INFO(describe(r.problems));
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].path == "settings.author.age");
}

TEST_CASE("a schema error inside an array names the item index") {
    auto r = validate(post_scenario({{"title", "t"}, {"count", 1}, {"tags", {"ok", 7}}}));
    INFO(describe(r.problems));
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].path == "settings.tags[1]");
}

TEST_CASE("every schema violation of one node is reported") {
    auto r = validate(post_scenario({{"title", ""}, {"count", -1}, {"extra", true}, {"code", "abc"}}));
    INFO(describe(r.problems));
    CHECK(r.problems.size() == 4); // minLength, minimum, additionalProperties, pattern
    for (const auto& p : r.problems) CHECK(p.code == "invalid_settings");
}

TEST_CASE("an expression in a required integer setting passes validation") {
    auto r = validate(post_scenario({{"title", "Hello"}, {"count", "{{trigger.body.count}}"}}));
    INFO(describe(r.problems));
    CHECK(r.problems.empty());
    CHECK(r.plan);
}

TEST_CASE("an expression inside a string setting passes its string checks") {
    auto r = validate(post_scenario({{"title", "Order {{trigger.body.id}}"}, {"count", 1}, {"code", "{{vars.code}}"}}));
    INFO(describe(r.problems));
    CHECK(r.problems.empty());
}

TEST_CASE("an expression in a nested required setting passes validation") {
    auto r = validate(post_scenario({{"title", "t"}, {"count", 1}, {"author", {{"name", "Ann"}, {"age", "{{vars.age}}"}}}}));
    INFO(describe(r.problems));
    CHECK(r.problems.empty());
}

TEST_CASE("an array holding an expression is left for the run") {
    auto r = validate(post_scenario({{"title", "t"}, {"count", 1}, {"tags", {"{{trigger.body.tag}}"}}}));
    INFO(describe(r.problems));
    CHECK(r.problems.empty());
}

TEST_CASE("settings beside an expression are still checked") {
    auto r = validate(post_scenario({{"title", 5}, {"count", "{{trigger.body.count}}"}}));
    INFO(describe(r.problems));
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].path == "settings.title");
}

TEST_CASE("dropping an expression from required does not loosen other nodes of the same action") {
    scenario_builder b;
    b.chain({"a"})
        .node("p1", "demo.create_post", {{"title", "t"}, {"count", "{{trigger.body.count}}"}})
        .node("p2", "demo.create_post", {{"title", "t"}})
        .edge("a", "p1")
        .edge("a", "p2");
    auto r = validate(b.to_json());
    INFO(describe(r.problems));
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].node_id == "p2");
    CHECK(r.problems[0].path == "settings.count");
}

TEST_CASE("the same settings schema is parsed once for many nodes") {
    scenario_builder b;
    std::vector<std::string> ids;
    for (int i = 0; i < 50; ++i) ids.push_back("p" + std::to_string(i));
    b.chain(ids, "demo.create_post");
    // chain() gives empty settings: every node misses title and count.
    sr::core::validation::scenario_validator validator(demo_catalog());
    auto r = validator.validate(b.to_json());
    CHECK(r.problems.size() == 100);
    CHECK(validator.parsed_schema_count() == 1);
    validator.validate(b.to_json());
    CHECK(validator.parsed_schema_count() == 1);
}

TEST_CASE("a malformed expression in settings is invalid_expression naming the node and field") {
    auto r = validate(post_scenario({{"title", "{{ trigger.body. }}"}, {"count", 1}}));
    INFO(describe(r.problems));
    auto bad = with_code(r.problems, "invalid_expression");
    REQUIRE(bad.size() == 1);
    CHECK(bad[0].node_id == "post");
    CHECK(bad[0].path == "settings.title");
    CHECK(bad[0].message.find("trigger.body.") != std::string::npos);
}

TEST_CASE("every malformed expression of a node is reported") {
    scenario_builder b;
    b.chain({"a"}).node("n", "demo.noop", {{"x", "{{ (1 + }}"}, {"y", {{"z", "{{ }}"}}}}).edge("a", "n");
    auto r = validate(b.to_json());
    INFO(describe(r.problems));
    auto bad = with_code(r.problems, "invalid_expression");
    REQUIRE(bad.size() == 2);
    CHECK(bad[0].path == "settings.x");
    CHECK(bad[1].path == "settings.y.z");
}

TEST_CASE("a setting the schema does not allow is reported with its own path") {
    auto r = validate(post_scenario({{"title", "t"}, {"count", 1}, {"colour", "red"}}));
    INFO(describe(r.problems));
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].path == "settings.colour");
}

TEST_CASE("an action whose settings schema cannot be parsed is invalid_schema on each node") {
    scenario_builder b;
    b.chain({"a"}).node("x", "demo.broken", {{"a", 1}}).node("y", "demo.broken").edge("a", "x").edge("a", "y");
    auto r = validate(b.to_json());
    INFO(describe(r.problems));
    REQUIRE(r.problems.size() == 2);
    CHECK(r.problems[0].code == "invalid_schema");
    CHECK(r.problems[0].node_id == "x");
    CHECK(r.problems[1].node_id == "y");
}
