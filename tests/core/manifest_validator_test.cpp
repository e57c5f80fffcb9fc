// manifest_validator: one test per rule. Each starts from a complete valid manifest and breaks
// one thing, then checks the problem is reported at the right path.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <boost/json.hpp>

#include "sr/core/manifest/manifest_validator.hpp"

using sr::core::manifest_problem;
using sr::core::manifest_validator;
namespace json = boost::json;

namespace {

json::value valid_manifest() {
    return json::parse(R"({
      "id": "wordpress", "name": "WordPress", "version": "1.2.0-beta.1+b5",
      "description": "Posts", "category": "cms", "keywords": ["blog"], "tags": ["cms"],
      "connections": [
        {"id": "app_password", "name": "Application password", "secret_fields": ["password"],
         "testable": true,
         "schema": {"type": "object", "properties": {"password": {"type": "string"}}, "required": ["password"]}}
      ],
      "actions": [
        {"id": "create_post", "version": 1, "name": "Create post", "side_effects": true,
         "connection": "app_password",
         "input_schema": {"type": "object", "properties": {"title": {"type": "string"}}},
         "settings_schema": {"type": "object", "properties": {
            "site": {"type": "string"}, "categories": {"type": "array"}, "author": {"type": "string"}}},
         "output_schema": {"type": "object"},
         "sample_output": {"id": 1},
         "outputs": ["true", "false"],
         "dynamic_fields": [
           {"field": "categories", "type": "multi-select", "label": "Categories",
            "depends_on": ["connection", "site"], "cache_ttl_s": 300, "allow_custom": false}],
         "compensation": {"action": "delete_post", "input": {"id": "{{output.id}}"}}},
        {"id": "create_post", "version": 2, "name": "Create post", "side_effects": true},
        {"id": "delete_post", "name": "Delete post", "side_effects": true, "deprecated": false}
      ],
      "triggers": [
        {"id": "post_published", "name": "Post published", "kind": "polling", "poll_interval_s": 60,
         "connection": "app_password",
         "settings_schema": {"type": "object", "properties": {"status": {"type": "string"}}},
         "dynamic_fields": [{"field": "status", "type": "select", "depends_on": ["connection"]}]},
        {"id": "hook", "name": "Hook", "kind": "webhook", "verification": "hmac_sha256"}
      ]
    })");
}

std::vector<manifest_problem> check(const json::value& manifest) { return manifest_validator().validate(manifest); }

json::object& action(json::value& m, std::size_t i) { return m.at("actions").as_array().at(i).as_object(); }
json::object& trigger(json::value& m, std::size_t i) { return m.at("triggers").as_array().at(i).as_object(); }

// The one problem reported, which must be at `path` and mention `text`.
void only_problem(const json::value& manifest, const std::string& path, const std::string& text) {
    auto problems = check(manifest);
    INFO(sr::core::to_string(problems));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].path == path);
    CHECK_THAT(problems[0].message, Catch::Contains(text));
}

} // namespace

TEST_CASE("a complete valid manifest has no problems") {
    auto problems = check(valid_manifest());
    INFO(sr::core::to_string(problems));
    CHECK(problems.empty());
}

TEST_CASE("a manifest that is not a JSON object is one problem at the root") {
    only_problem(json::parse("[]"), "", "must be a JSON object");
}

TEST_CASE("manifest text that is not JSON is one problem at the root") {
    auto problems = manifest_validator().validate(std::string_view(R"({"id": )"));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].path.empty());
    CHECK_THAT(problems[0].message, Catch::StartsWith("the manifest is not valid JSON"));
}

TEST_CASE("every missing required field is reported at once") {
    auto problems = check(json::parse(R"({"actions": [{}]})"));
    std::vector<std::string> paths;
    for (const auto& p : problems) paths.push_back(p.path);
    CHECK(paths == std::vector<std::string>{"id", "name", "version", "actions[0].id", "actions[0].name",
                                            "actions[0].side_effects"});
}

TEST_CASE("a missing actions array is reported") {
    auto m = valid_manifest();
    m.as_object().erase("actions");
    only_problem(m, "actions", "required");
}

TEST_CASE("a plugin with neither actions nor triggers is reported") {
    auto m = json::parse(R"({"id": "x", "name": "X", "version": "1.0.0", "actions": []})");
    only_problem(m, "actions", "at least one action or trigger");
}

TEST_CASE("a plugin with only triggers and an empty actions array is valid") {
    auto m = json::parse(R"({"id": "x", "name": "X", "version": "1.0.0", "actions": [],
                             "triggers": [{"id": "t", "name": "T", "kind": "manual"}]})");
    CHECK(check(m).empty());
}

TEST_CASE("ids must match the id pattern") {
    for (const char* bad : {"WordPress", "1st", "_x", "", "has-dash", "a b"}) {
        INFO(bad);
        auto m = valid_manifest();
        m.as_object()["id"] = bad;
        only_problem(m, "id", "does not match");
    }
    auto m = valid_manifest();
    m.as_object()["id"] = std::string(65, 'a');
    only_problem(m, "id", "does not match");
    m.as_object()["id"] = std::string(64, 'a');
    CHECK(check(m).empty());
}

TEST_CASE("action and trigger ids must match the id pattern") {
    auto m = valid_manifest();
    action(m, 1)["id"] = "Create";
    trigger(m, 1)["id"] = "9hook";
    auto problems = check(m);
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].path == "actions[1].id");
    CHECK(problems[1].path == "triggers[1].id");
}

TEST_CASE("the version must be semver") {
    for (const char* bad : {"1.0", "1.0.0.0", "v1.0.0", "01.0.0", "1.0.0-"}) {
        INFO(bad);
        auto m = valid_manifest();
        m.as_object()["version"] = bad;
        only_problem(m, "version", "is not a semantic version");
    }
    auto m = valid_manifest();
    m.as_object()["version"] = 1;
    only_problem(m, "version", "must be a string");
}

TEST_CASE("the name must be a non-empty string") {
    auto m = valid_manifest();
    m.as_object()["name"] = "";
    only_problem(m, "name", "must not be empty");
    m.as_object()["name"] = 3;
    only_problem(m, "name", "must be a string");
}

TEST_CASE("an action id and version pair must be unique") {
    auto m = valid_manifest();
    action(m, 1)["version"] = 1;
    only_problem(m, "actions[1].id", "duplicate action \"create_post\" version 1 (first at actions[0])");
}

TEST_CASE("an action without a version counts as version 1") {
    auto m = valid_manifest();
    action(m, 1).erase("version");
    only_problem(m, "actions[1].id", "duplicate action \"create_post\" version 1");
}

TEST_CASE("an action version must be an integer of at least 1") {
    for (auto bad : {json::value(0), json::value(-2), json::value(1.5), json::value("2")}) {
        INFO(json::serialize(bad));
        auto m = valid_manifest();
        action(m, 2)["version"] = bad;
        only_problem(m, "actions[2].version", "must be an integer >= 1");
    }
}

TEST_CASE("trigger ids must be unique") {
    auto m = valid_manifest();
    trigger(m, 1)["id"] = "post_published";
    only_problem(m, "triggers[1].id", "duplicate trigger id \"post_published\" (first at triggers[0])");
}

TEST_CASE("connection ids must be unique") {
    auto m = valid_manifest();
    auto& connections = m.at("connections").as_array();
    connections.push_back(json::parse(R"({"id": "app_password", "name": "Again"})"));
    only_problem(m, "connections[1].id", "duplicate connection id \"app_password\"");
}

TEST_CASE("side_effects is required and must be a boolean") {
    auto m = valid_manifest();
    action(m, 2).erase("side_effects");
    only_problem(m, "actions[2].side_effects", "required");
    action(m, 2)["side_effects"] = "yes";
    only_problem(m, "actions[2].side_effects", "must be true or false");
}

TEST_CASE("optional flags must be booleans") {
    auto m = valid_manifest();
    action(m, 2)["deprecated"] = 1;
    m.at("connections").as_array()[0].as_object()["testable"] = "true";
    auto problems = check(m);
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].path == "connections[0].testable");
    CHECK(problems[1].path == "actions[2].deprecated");
}

TEST_CASE("a trigger kind is required and must be one of the known kinds") {
    auto m = valid_manifest();
    trigger(m, 0)["kind"] = "push";
    only_problem(m, "triggers[0].kind", "\"push\" is not one of");
    trigger(m, 0).erase("kind");
    only_problem(m, "triggers[0].kind", "required");
}

TEST_CASE("a webhook verification must be one of the known schemes") {
    auto m = valid_manifest();
    trigger(m, 1)["verification"] = "md5";
    only_problem(m, "triggers[1].verification", "\"md5\" is not one of");
}

TEST_CASE("a poll interval must be a positive integer") {
    auto m = valid_manifest();
    trigger(m, 0)["poll_interval_s"] = 0;
    only_problem(m, "triggers[0].poll_interval_s", "must be an integer >= 1");
}

TEST_CASE("a malformed JSON Schema is reported with the path of the schema") {
    auto m = valid_manifest();
    action(m, 0)["input_schema"] = json::parse(R"({"type": "object", "properties": {"n": {"type": 12}}})");
    only_problem(m, "actions[0].input_schema", "malformed JSON Schema");
}

TEST_CASE("each kind of malformed schema is reported") {
    for (const char* bad : {R"({"type": "strnig"})", R"({"properties": 5})", R"({"required": "title"})",
                            R"({"minimum": "one"})", R"({"$ref": "#/definitions/missing"})",
                            R"({"items": 3})", R"({"enum": 7})"}) {
        INFO(bad);
        auto m = valid_manifest();
        trigger(m, 1)["output_schema"] = json::parse(bad);
        only_problem(m, "triggers[1].output_schema", "malformed JSON Schema");
    }
}

TEST_CASE("a schema that is not an object is reported") {
    auto m = valid_manifest();
    m.at("connections").as_array()[0].as_object()["schema"] = "object";
    only_problem(m, "connections[0].schema", "must be a JSON Schema");
}

TEST_CASE("boolean and empty schemas are well-formed") {
    auto m = valid_manifest();
    action(m, 1)["input_schema"] = true;
    action(m, 1)["output_schema"] = json::object();
    CHECK(check(m).empty());
}

TEST_CASE("a dynamic field must name a property of settings_schema") {
    auto m = valid_manifest();
    action(m, 0)["dynamic_fields"].as_array()[0].as_object()["field"] = "tags";
    only_problem(m, "actions[0].dynamic_fields[0].field", "\"tags\" is not a property of settings_schema");
}

TEST_CASE("a dynamic field on an owner without settings_schema is reported") {
    auto m = valid_manifest();
    trigger(m, 0).erase("settings_schema");
    only_problem(m, "triggers[0].dynamic_fields[0].field", "\"status\" is not a property of settings_schema");
}

TEST_CASE("a dynamic field type must be select or multi-select") {
    auto m = valid_manifest();
    action(m, 0)["dynamic_fields"].as_array()[0].as_object()["type"] = "radio";
    only_problem(m, "actions[0].dynamic_fields[0].type", "\"radio\" is not one of");
}

TEST_CASE("a dynamic field may appear only once") {
    auto m = valid_manifest();
    auto& fields = action(m, 0)["dynamic_fields"].as_array();
    fields.push_back(json::parse(R"({"field": "categories", "type": "select"})"));
    only_problem(m, "actions[0].dynamic_fields[1].field", "more than one dynamic field entry");
}

TEST_CASE("depends_on entries must be the connection or another settings property") {
    auto m = valid_manifest();
    action(m, 0)["dynamic_fields"].as_array()[0].as_object()["depends_on"] = json::parse(R"(["connection", "nowhere"])");
    only_problem(m, "actions[0].dynamic_fields[0].depends_on[1]", "\"nowhere\" is neither \"connection\" nor");
}

TEST_CASE("depending on the connection needs a declared connection") {
    auto m = valid_manifest();
    trigger(m, 0).erase("connection");
    only_problem(m, "triggers[0].dynamic_fields[0].depends_on[0]", "no connection is declared");
}

TEST_CASE("a dynamic field cannot depend on itself") {
    auto m = valid_manifest();
    action(m, 0)["dynamic_fields"].as_array()[0].as_object()["depends_on"] = json::parse(R"(["categories"])");
    only_problem(m, "actions[0].dynamic_fields[0].depends_on[0]", "cannot depend on itself");
}

TEST_CASE("a connection reference must name a declared connection type") {
    auto m = valid_manifest();
    action(m, 2)["connection"] = "oauth";
    trigger(m, 1)["connection"] = "oauth";
    auto problems = check(m);
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].path == "actions[2].connection");
    CHECK_THAT(problems[0].message, Catch::Contains("\"oauth\" is not a declared connection type"));
    CHECK(problems[1].path == "triggers[1].connection");
}

TEST_CASE("a compensation must name an action of the plugin") {
    auto m = valid_manifest();
    action(m, 0)["compensation"].as_object()["action"] = "undo_post";
    only_problem(m, "actions[0].compensation.action", "\"undo_post\" is not an action of this plugin");
    action(m, 0)["compensation"].as_object().erase("action");
    only_problem(m, "actions[0].compensation.action", "required");
}

TEST_CASE("a compensation input must be an object") {
    auto m = valid_manifest();
    action(m, 0)["compensation"].as_object()["input"] = "{}";
    only_problem(m, "actions[0].compensation.input", "must be an object");
}

TEST_CASE("outputs must be unique non-empty strings") {
    auto m = valid_manifest();
    action(m, 0)["outputs"] = json::parse(R"(["true", "true"])");
    only_problem(m, "actions[0].outputs[1]", "duplicate \"true\"");
    action(m, 0)["outputs"] = json::parse(R"(["true", 1])");
    only_problem(m, "actions[0].outputs[1]", "must be a string");
    action(m, 0)["outputs"] = json::parse(R"([""])");
    only_problem(m, "actions[0].outputs[0]", "must not be empty");
    action(m, 0)["outputs"] = "true";
    only_problem(m, "actions[0].outputs", "must be an array");
}

TEST_CASE("entries of actions, triggers and connections must be objects") {
    auto m = valid_manifest();
    m.at("actions").as_array().push_back(3);
    m.at("triggers").as_array().push_back("t");
    m.at("connections").as_array().push_back(json::array());
    auto problems = check(m);
    REQUIRE(problems.size() == 3);
    CHECK(problems[0].path == "connections[1]");
    CHECK(problems[1].path == "actions[3]");
    CHECK(problems[2].path == "triggers[2]");
}

TEST_CASE("several broken rules are all reported in one pass") {
    auto m = valid_manifest();
    m.as_object()["version"] = "1.0";
    action(m, 1)["version"] = 1;
    trigger(m, 0)["kind"] = "sometimes";
    action(m, 0)["dynamic_fields"].as_array()[0].as_object()["field"] = "tags";
    m.as_object()["keywords"] = json::parse("[1]");
    auto problems = check(m);
    std::vector<std::string> paths;
    for (const auto& p : problems) paths.push_back(p.path);
    CHECK(paths == std::vector<std::string>{"version", "keywords[0]", "actions[0].dynamic_fields[0].field",
                                            "actions[1].id", "triggers[0].kind"});
    CHECK_THAT(sr::core::to_string(problems), Catch::StartsWith("version: \"1.0\" is not a semantic version"));
}
