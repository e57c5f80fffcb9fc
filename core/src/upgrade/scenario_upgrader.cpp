#include "sr/core/upgrade/scenario_upgrader.hpp"

#include <algorithm>
#include <optional>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "migrate_call.hpp"
#include "sr/core/model/scenario.hpp"
#include "sr/core/validation/scenario_validator.hpp"

namespace sr::core::upgrade {

namespace json = boost::json;

namespace {

// Writes the new pin in the form the node used: a semver string stays a (new) semver string.
void write_version(json::object& raw, uint32_t major, const std::string& plugin_version) {
    const auto* old = raw.if_contains("version");
    if (old && old->is_string()) raw["version"] = plugin_version;
    else raw["version"] = major;
}

void write_settings(json::object& raw, const json::value& settings) {
    json::value& data = raw["data"];
    if (!data.is_object()) data = json::object();
    data.get_object()["settings"] = settings;
}

std::string describe(const scenario_node& node, uint32_t to_major) {
    return fmt::format("node '{}' ({}, plugin major {} to {})", node.id, node.type, node.plugin_major, to_major);
}

// One upgrade over one graph: the catalog and plugins in use, and what was found so far.
class upgrade_pass {
public:
    upgrade_pass(const engine::action_catalog& catalog, const engine::plugin_directory& plugins,
                 const upgrade_options& options, upgrade_result& result)
        : catalog_(catalog), plugins_(plugins), options_(options), result_(result) {}

    // Moves `node` to the newest loaded major of its integration, writing the new pin and
    // settings into `raw`; does nothing when it is already there (or not installed at all:
    // the validator reports that).
    void upgrade_node(const scenario_node& node, json::object& raw) {
        const auto majors = catalog_.majors(node.integration);
        if (majors.empty()) return;
        const uint32_t newest = *std::max_element(majors.begin(), majors.end());
        if (newest <= node.plugin_major) return;

        const engine::action_info* next = catalog_.find(node.integration, node.action, newest);
        if (!next) {
            return report(node, "action_removed", "type",
                          fmt::format("{}: plugin major {} of '{}' has no action or trigger '{}'; replace the node "
                                      "before upgrading", describe(node, newest), newest, node.integration, node.action));
        }
        auto plugin = plugins_.find(node.integration, newest);
        if (!plugin)
            return report(node, "plugin_unavailable", "version", describe(node, newest) + ": no loaded plugin serves that major");

        std::string from_version = previous_version(node);
        auto outcome = call_migrate(*plugin, node.action, node.id, node.settings, from_version, options_.call_timeout);
        if (outcome.what == migrate_outcome::kind::failed)
            return report(node, "migration_failed", "data.settings", describe(node, newest) + ": " + outcome.message);
        const bool migrated = outcome.what == migrate_outcome::kind::migrated;
        const json::value& settings = migrated ? outcome.settings : node.settings;

        write_version(raw, newest, next->plugin_version);
        if (settings != node.settings) write_settings(raw, settings);
        result_.nodes.push_back(node_upgrade{node.id, node.type, node.plugin_major, newest, std::move(from_version),
                                             next->plugin_version, migrated, diff_settings(node.settings, settings)});
    }

    // The new major's schemas judge the settings, migrated or carried over.
    void check_settings(const json::value& upgraded, const scenario_definition& def) {
        auto checked = validation::validate_scenario(upgraded, catalog_);
        for (const auto& p : checked.problems) {
            if (p.code != "invalid_settings" && p.code != "invalid_schema") continue;
            const node_upgrade* up = find_upgrade(p.node_id);
            if (!up) continue; // a node left as it was: not this upgrade's problem
            report(*def.find_node(p.node_id), "settings_invalid", p.path,
                   fmt::format("{}: {} settings do not fit the new schema: {}",
                               describe(*def.find_node(p.node_id), up->to_major),
                               up->migrated ? "the migrated" : "without a migrate step, the unchanged", p.message));
        }
    }

private:
    void report(const scenario_node& node, std::string code, std::string path, std::string message) {
        result_.problems.push_back(problem{std::move(code), node.id, {}, std::move(path), std::move(message)});
    }

    // The exact version the settings were written for is known only when the old major is
    // still loaded; otherwise the first release of that major stands for it.
    std::string previous_version(const scenario_node& node) const {
        const engine::action_info* previous = catalog_.find(node.integration, node.action, node.plugin_major);
        return previous ? previous->plugin_version : fmt::format("{}.0.0", node.plugin_major);
    }

    const node_upgrade* find_upgrade(const std::string& node_id) const {
        for (const auto& n : result_.nodes)
            if (n.node_id == node_id) return &n;
        return nullptr;
    }

    const engine::action_catalog& catalog_;
    const engine::plugin_directory& plugins_;
    const upgrade_options& options_;
    upgrade_result& result_;
};

} // namespace

scenario_upgrader::scenario_upgrader(const engine::action_catalog& catalog, const engine::plugin_directory& plugins,
                                     upgrade_options options)
    : catalog_(catalog), plugins_(plugins), options_(options) {}

upgrade_result scenario_upgrader::upgrade(const json::value& graph) const {
    upgrade_result result;
    result.graph = graph;
    parse_result parsed = parse_scenario(graph);
    if (!parsed.definition) {
        result.problems = std::move(parsed.problems);
        return result;
    }
    json::value upgraded = graph;
    // parse_scenario succeeded: "nodes" is an array of objects, one per parsed node, in order.
    json::array& raw_nodes = upgraded.get_object()["nodes"].get_array();
    upgrade_pass pass(catalog_, plugins_, options_, result);
    const auto& nodes = parsed.definition->nodes;
    for (std::size_t i = 0; i < nodes.size(); ++i) pass.upgrade_node(nodes[i], raw_nodes[i].get_object());
    if (result.problems.empty() && !result.nodes.empty()) pass.check_settings(upgraded, *parsed.definition);
    if (result.problems.empty()) result.graph = std::move(upgraded);
    return result;
}

json::object to_json(const node_upgrade& node) {
    json::array changes;
    for (const auto& c : node.changes) {
        json::object o{{"path", c.path}, {"change", to_string(c.kind)}};
        if (c.kind != change_kind::added) o["before"] = c.before;
        if (c.kind != change_kind::removed) o["after"] = c.after;
        changes.push_back(std::move(o));
    }
    return json::object{{"node_id", node.node_id},         {"type", node.type},
                        {"from_major", node.from_major},   {"to_major", node.to_major},
                        {"from_version", node.from_version}, {"to_version", node.to_version},
                        {"migrated", node.migrated},       {"changes", std::move(changes)}};
}

json::object to_json(const upgrade_result& result) {
    json::array nodes, problems;
    for (const auto& n : result.nodes) nodes.push_back(to_json(n));
    for (const auto& p : result.problems) {
        json::object o{{"code", p.code}, {"message", p.message}};
        if (!p.node_id.empty()) o["node_id"] = p.node_id;
        if (!p.edge_id.empty()) o["edge_id"] = p.edge_id;
        if (!p.path.empty()) o["path"] = p.path;
        problems.push_back(std::move(o));
    }
    return json::object{{"nodes", std::move(nodes)}, {"problems", std::move(problems)}};
}

} // namespace sr::core::upgrade
