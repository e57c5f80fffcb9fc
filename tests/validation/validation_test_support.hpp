#pragma once
// A small catalog with settings schemas, a builder for scenarios in the React Flow shape, and
// helpers to pick problems out of a validation result.
#include <algorithm>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "sr/core/engine/action_catalog.hpp"
#include "sr/core/model/problem.hpp"
#include "sr/core/validation/scenario_validator.hpp"

namespace sr::test {

namespace json = boost::json;

// "demo" exists in plugin majors 1 and 2. Major 1 has a schema'd action with a connection,
// a router with two handles, a deprecated action, an action whose settings schema valijson
// cannot parse (the catalog takes manifests as given), and a manual trigger.
inline const json::value& demo_manifest_v1() {
    static const json::value m = json::parse(R"({
      "id": "demo", "name": "Demo", "version": "1.3.0",
      "connections": [{"id": "api_key", "name": "API key", "schema": {}}],
      "actions": [
        {"id": "noop", "name": "No-op", "side_effects": false},
        {"id": "create_post", "name": "Create post", "side_effects": true, "connection": "api_key",
         "settings_schema": {
           "type": "object",
           "required": ["title", "count"],
           "properties": {
             "title": {"type": "string", "minLength": 1},
             "count": {"type": "integer", "minimum": 0},
             "author": {"type": "object", "required": ["name", "age"],
                        "properties": {"name": {"type": "string"}, "age": {"type": "integer"}}},
             "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1},
             "code": {"type": "string", "pattern": "^[A-Z]{3}$"}
           },
           "additionalProperties": false
         }},
        {"id": "route", "name": "If", "side_effects": false, "outputs": ["true", "false"]},
        {"id": "old_thing", "name": "Old", "side_effects": false, "deprecated": true},
        {"id": "broken", "name": "Broken", "side_effects": false,
         "settings_schema": {"type": "object", "properties": {"a": {"type": 12}}}}
      ],
      "triggers": [{"id": "manual", "name": "Manual", "kind": "manual"}]
    })");
    return m;
}

inline const json::value& demo_manifest_v2() {
    static const json::value m = json::parse(R"({
      "id": "demo", "name": "Demo", "version": "2.0.1",
      "actions": [{"id": "noop", "name": "No-op", "side_effects": false}],
      "triggers": [{"id": "manual", "name": "Manual", "kind": "manual"}]
    })");
    return m;
}

inline const core::engine::action_catalog& demo_catalog() {
    static const core::engine::action_catalog c = [] {
        core::engine::action_catalog cat;
        cat.add_manifest(demo_manifest_v1());
        cat.add_manifest(demo_manifest_v2());
        return cat;
    }();
    return c;
}

// Builds {nodes, edges}: a trigger "start" unless told otherwise, then node(...) and edge(...).
class scenario_builder {
public:
    explicit scenario_builder(bool with_trigger = true) {
        if (with_trigger) node("start", "demo.manual");
    }
    scenario_builder& node(const std::string& id, const std::string& type, json::object settings = {},
                           json::object data = {}, int version = 1) {
        data["settings"] = std::move(settings);
        nodes_.push_back(json::object{{"id", id}, {"type", type}, {"version", version},
                                      {"position", {{"x", 0}, {"y", 0}}}, {"data", std::move(data)}});
        return *this;
    }
    scenario_builder& edge(const std::string& from, const std::string& to, const std::string& handle = "",
                           const std::string& kind = "success") {
        std::string id = from + "->" + to + (handle.empty() ? "" : ":" + handle);
        json::object e{{"id", id}, {"source", from}, {"target", to}, {"kind", kind}};
        if (!handle.empty()) e["sourceHandle"] = handle;
        edges_.push_back(std::move(e));
        return *this;
    }
    // start -> a -> b -> ... : every node in a row after the trigger.
    scenario_builder& chain(const std::vector<std::string>& ids, const std::string& type = "demo.noop") {
        std::string previous = "start";
        for (const auto& id : ids) {
            node(id, type);
            edge(previous, id);
            previous = id;
        }
        return *this;
    }
    json::value to_json() const { return json::object{{"nodes", nodes_}, {"edges", edges_}}; }

private:
    json::array nodes_;
    json::array edges_;
};

inline std::vector<core::problem> with_code(const std::vector<core::problem>& problems, const std::string& code) {
    std::vector<core::problem> out;
    std::copy_if(problems.begin(), problems.end(), std::back_inserter(out),
                 [&](const core::problem& p) { return p.code == code; });
    return out;
}

inline std::vector<std::string> codes(const std::vector<core::problem>& problems) {
    std::vector<std::string> out;
    for (const auto& p : problems) out.push_back(p.code);
    return out;
}

// Everything about the problems, for failure messages.
inline std::string describe(const std::vector<core::problem>& problems) {
    std::string out;
    for (const auto& p : problems)
        out += p.code + " node=" + p.node_id + " edge=" + p.edge_id + " path=" + p.path + " : " + p.message + "\n";
    return out;
}

inline core::validation::validation_result validate(const json::value& scenario,
                                                    const core::validation::validation_options& options = {}) {
    return core::validation::validate_scenario(scenario, demo_catalog(), options);
}

} // namespace sr::test
