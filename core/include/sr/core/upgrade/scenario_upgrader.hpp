#pragma once
// Moves a scenario's nodes to the newest loaded major of their plugin. Each node pins its
// plugin's major (node "version"); a node pinned below the newest major of its integration is
// upgraded: the new major's migrate step (SR_CALL_MIGRATE_SETTINGS) rewrites its settings, or,
// when the plugin has none for that action, the settings carry over unchanged. Either way the
// result must validate against the new major's settings schema.
//
// All or nothing: any problem (an action the new major no longer has, a migrate step that
// fails, settings the new schema refuses) leaves the graph as it was, so a caller saves the
// result only when ok(). Everything but the upgraded nodes' "version" and "data.settings" is
// kept as stored (other nodes, edges, viewport, unknown UI fields).
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "sr/core/engine/action_catalog.hpp"
#include "sr/core/engine/plugin_directory.hpp"
#include "sr/core/model/problem.hpp"
#include "sr/core/upgrade/settings_diff.hpp"

namespace sr::core::upgrade {

struct node_upgrade {
    std::string node_id, type;
    uint32_t from_major = 0, to_major = 0;
    std::string from_version; // what the migrate step was told the settings were saved under
    std::string to_version;   // the package version of the new major's plugin
    bool migrated = false;    // the plugin's migrate step ran; false: settings carried over
    std::vector<setting_change> changes;
};

// Problem codes (each names its node):
//   action_removed       the new major has no action or trigger of the node's id
//   plugin_unavailable   the catalog lists the new major but no loaded instance serves it
//   migration_failed     the migrate step returned an error, timed out or returned no object
//   settings_invalid     the settings after the upgrade fail the new settings schema (one
//                        problem per violation; the path is inside the node's settings)
// Problems of parse_scenario are passed through as they are.
struct upgrade_result {
    boost::json::value graph;        // upgraded; the input as given when there is any problem
    std::vector<node_upgrade> nodes; // in node order; empty when nothing needs upgrading
    std::vector<problem> problems;
    bool ok() const { return problems.empty(); }
    bool changed() const { return ok() && !nodes.empty(); }
};

struct upgrade_options {
    std::chrono::milliseconds call_timeout{10'000}; // per migrate call
};

class scenario_upgrader {
public:
    // Both must outlive the upgrader. The catalog decides which majors exist and what their
    // schemas are; the directory gives the instance whose migrate step runs.
    scenario_upgrader(const engine::action_catalog& catalog, const engine::plugin_directory& plugins,
                      upgrade_options options = {});

    // Blocks on each plugin's migrate call (bounded by call_timeout): call it from a command
    // or a worker thread, never from an I/O thread.
    upgrade_result upgrade(const boost::json::value& graph) const;

private:
    const engine::action_catalog& catalog_;
    const engine::plugin_directory& plugins_;
    upgrade_options options_;
};

// {"nodes": [{"node_id", "type", "from_major", "to_major", "from_version", "to_version",
//   "migrated", "changes": [{"path", "change", "before"?, "after"?}]}], "problems": [...]}
boost::json::object to_json(const upgrade_result& result);
boost::json::object to_json(const node_upgrade& node);

} // namespace sr::core::upgrade
