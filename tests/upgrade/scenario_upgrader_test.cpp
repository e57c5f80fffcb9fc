// core's scenario_upgrader against the `mover` integration loaded in two majors.
#include <algorithm>

#include <catch2/catch.hpp>

#include "sr/core/upgrade/scenario_upgrader.hpp"
#include "sr/core/validation/scenario_validator.hpp"
#include "upgrade_fixture.hpp"

using namespace sr::test;
using namespace sr::core::upgrade;
namespace json = boost::json;

namespace {

upgrade_result upgrade_with(const std::filesystem::path& dir, const json::value& graph) {
    loaded_plugin_set set(dir);
    scenario_upgrader upgrader(set.catalog(), set.plugins());
    return upgrader.upgrade(graph);
}

const node_upgrade* upgrade_of(const upgrade_result& r, const std::string& id) {
    for (const auto& n : r.nodes)
        if (n.node_id == id) return &n;
    return nullptr;
}

bool has_problem(const upgrade_result& r, const std::string& code, const std::string& node, const std::string& text) {
    for (const auto& p : r.problems)
        if (p.code == code && p.node_id == node && p.message.find(text) != std::string::npos) return true;
    return false;
}

} // namespace

TEST_CASE("a node on an older plugin major is moved to the newest through the plugin's migrate step") {
    auto graph = chain({node("send", "mover.send", 1, {{"recipient", "ops@example.com"}})});
    auto r = upgrade_with(both_majors_dir(), graph);
    INFO(json::serialize(to_json(r)));
    REQUIRE(r.ok());
    const auto* send = upgrade_of(r, "send");
    REQUIRE(send);
    CHECK(send->from_major == 1);
    CHECK(send->to_major == 2);
    CHECK(send->from_version == "1.2.0");
    CHECK(send->to_version == "2.0.0");
    CHECK(send->migrated);
    const auto* upgraded = find_node(r.graph, "send");
    REQUIRE(upgraded);
    CHECK(upgraded->at("version") == 2);
    CHECK(upgraded->at("data").at("settings") == json::value{{"to", "ops@example.com"}, {"format", "text"}});
    // What the editor stored beside the settings survives.
    CHECK(upgraded->at("data").at("ui_color") == "teal");
    CHECK(upgraded->at("position") == json::value{{"x", 1}, {"y", 2}});
}

TEST_CASE("the upgrade reports each settings change with its JSON path") {
    auto graph = chain({node("send", "mover.send", 1, {{"recipient", "ops@example.com"}})});
    auto r = upgrade_with(both_majors_dir(), graph);
    REQUIRE(r.ok());
    const auto* send = upgrade_of(r, "send");
    REQUIRE(send);
    REQUIRE(send->changes.size() == 3);
    CHECK(send->changes[0].path == "settings.recipient");
    CHECK(send->changes[0].kind == change_kind::removed);
    CHECK(send->changes[0].before == "ops@example.com");
    CHECK(send->changes[1].path == "settings.to");
    CHECK(send->changes[1].kind == change_kind::added);
    CHECK(send->changes[1].after == "ops@example.com");
    CHECK(send->changes[2].path == "settings.format");
    CHECK(send->changes[2].after == "text");
    auto report = to_json(r);
    CHECK(report.at("nodes").as_array().size() == 2); // send, and the trigger it starts from
    CHECK(report.at("problems").as_array().empty());
}

TEST_CASE("nodes already on the newest major are left exactly as stored") {
    auto graph = chain({node("send", "mover.send", 2, {{"to", "a@b.c"}}), node("echo", "mover.echo", 2, {{"text", "x"}})},
                       2);
    auto r = upgrade_with(both_majors_dir(), graph);
    CHECK(r.ok());
    CHECK_FALSE(r.changed());
    CHECK(r.nodes.empty());
    CHECK(r.graph == graph);
}

TEST_CASE("only the nodes that need it are upgraded, the others and the edges keep their stored form") {
    auto graph = chain({node("send", "mover.send", 1, {{"recipient", "a@b.c"}}), node("echo", "mover.echo", 2, {{"text", "x"}})},
                       2);
    auto r = upgrade_with(both_majors_dir(), graph);
    REQUIRE(r.ok());
    REQUIRE(r.nodes.size() == 1);
    CHECK(r.nodes[0].node_id == "send");
    CHECK(*find_node(r.graph, "echo") == *find_node(graph, "echo"));
    CHECK(*find_node(r.graph, "start") == *find_node(graph, "start"));
    CHECK(r.graph.at("edges") == graph.at("edges"));
    CHECK(r.graph.at("viewport") == graph.at("viewport"));
}

TEST_CASE("without a migrate step the settings carry over unchanged when the new schema accepts them") {
    auto graph = chain({node("echo", "mover.echo", 1, {{"text", "hello"}})});
    auto r = upgrade_with(both_majors_dir(), graph);
    REQUIRE(r.ok());
    const auto* echo = upgrade_of(r, "echo");
    REQUIRE(echo);
    CHECK_FALSE(echo->migrated);
    CHECK(echo->changes.empty());
    CHECK(find_node(r.graph, "echo")->at("version") == 2);
    CHECK(find_node(r.graph, "echo")->at("data").at("settings") == json::value{{"text", "hello"}});
}

TEST_CASE("a migrate step that fails is reported for its node and nothing is upgraded") {
    auto graph = chain({node("echo", "mover.echo", 1, {{"text", "hello"}}),
                        node("send", "mover.send", 1, {{"recipient", "explode"}})});
    auto r = upgrade_with(both_majors_dir(), graph);
    CHECK_FALSE(r.ok());
    CHECK(has_problem(r, "migration_failed", "send", "recipient cannot be moved"));
    CHECK(r.problems.size() == 1);
    CHECK(r.graph == graph);
}

TEST_CASE("migrated settings that the new major's schema refuses are refused") {
    auto graph = chain({node("send", "mover.send", 1, {{"recipient", "number"}})});
    auto r = upgrade_with(both_majors_dir(), graph);
    CHECK_FALSE(r.ok());
    REQUIRE(has_problem(r, "settings_invalid", "send", "the migrated settings"));
    CHECK(r.problems[0].path.find("to") != std::string::npos);
    CHECK(r.graph == graph);
}

TEST_CASE("settings without a migrate step that the new schema refuses are a clear error for that node") {
    auto graph = chain({node("strict", "mover.strict", 1, {{"mode", "medium"}})});
    auto r = upgrade_with(both_majors_dir(), graph);
    CHECK_FALSE(r.ok());
    CHECK(has_problem(r, "settings_invalid", "strict", "without a migrate step"));
    CHECK(r.graph == graph);
}

TEST_CASE("an action the new major no longer has is a clear error and nothing is upgraded") {
    auto graph = chain({node("echo", "mover.echo", 1), node("old", "mover.retired", 1)});
    auto r = upgrade_with(both_majors_dir(), graph);
    CHECK_FALSE(r.ok());
    CHECK(has_problem(r, "action_removed", "old", "has no action or trigger 'retired'"));
    CHECK(r.graph == graph);
}

TEST_CASE("with only the new major loaded, a node pinned to the old one validates again once upgraded") {
    loaded_plugin_set set(new_major_only_dir());
    auto graph = chain({node("send", "mover.send", 1, {{"recipient", "a@b.c"}})});
    auto before = sr::core::validation::validate_scenario(graph, set.catalog());
    REQUIRE_FALSE(before.ok());
    CHECK(std::any_of(before.problems.begin(), before.problems.end(),
                      [](const sr::core::problem& p) { return p.code == "unknown_version" && p.node_id == "send"; }));

    scenario_upgrader upgrader(set.catalog(), set.plugins());
    auto r = upgrader.upgrade(graph);
    REQUIRE(r.ok());
    // The exact 1.x release is unknown without it loaded: the first release of the major.
    CHECK(upgrade_of(r, "send")->from_version == "1.0.0");
    auto after = sr::core::validation::validate_scenario(r.graph, set.catalog());
    INFO((after.problems.empty() ? std::string() : after.problems[0].message));
    CHECK(after.ok());
}

TEST_CASE("a node that pins its plugin with a semver string gets the new plugin's version string") {
    auto send = node("send", "mover.send", 1, {{"recipient", "a@b.c"}});
    send["version"] = "1.2.0";
    auto r = upgrade_with(both_majors_dir(), chain({send}));
    REQUIRE(r.ok());
    CHECK(find_node(r.graph, "send")->at("version") == "2.0.0");
}

TEST_CASE("a graph that does not parse is refused with the parser's problems") {
    loaded_plugin_set set(both_majors_dir());
    scenario_upgrader upgrader(set.catalog(), set.plugins());
    for (const char* text : {R"({"nodes": 3})", R"([1, 2])", R"({"nodes": [{"id": "a"}]})"}) {
        INFO(text);
        auto graph = json::parse(text);
        auto r = upgrader.upgrade(graph);
        CHECK_FALSE(r.ok());
        CHECK(r.nodes.empty());
        CHECK(r.graph == graph);
    }
}

TEST_CASE("a migrate step that does not finish in time is cancelled and reported") {
    loaded_plugin_set set(both_majors_dir());
    upgrade_options options;
    options.call_timeout = std::chrono::milliseconds(200);
    scenario_upgrader upgrader(set.catalog(), set.plugins(), options);
    auto graph = chain({node("slow", "mover.slow", 1, {{"x", 1}})});
    const auto started = std::chrono::steady_clock::now();
    auto r = upgrader.upgrade(graph);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    CHECK(has_problem(r, "migration_failed", "slow", "abandoned"));
    CHECK(r.graph == graph);
}
