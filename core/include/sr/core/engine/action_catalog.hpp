#pragma once
// What the engine knows of every action and trigger it may run, read from plugin manifests:
// side effects, output handles, flow role, schemas, sample output, compensation. Indexed by
// (integration, action, plugin major) because a node pins its plugin's major version.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <boost/json/value.hpp>

namespace sr::core::engine {

// How the engine treats a node beyond calling its plugin.
enum class flow_kind : uint8_t {
    action,    // call, then follow the routed output handles
    iterate,   // output {"items": [...], "concurrency"?: n}: run the downstream body per item
    aggregate, // collects one output per iteration of the iterate body that feeds it
    merge,     // joins branches; settings.mode "all" (default) or "any"
    variables, // its output object is merged into the frame's variables ({{vars.name}})
    stop       // ends the run as succeeded once it succeeds (system.stop)
};

struct compensation_info {
    std::string action;       // action of the same plugin that undoes this one
    boost::json::value input; // template over {"output": ..., "input": ...} of the done node
};

// Output handles named by the node's own settings (router.switch: settings.cases[].handle).
struct dynamic_outputs_info {
    std::string setting;            // an array in the settings
    std::string key;                // the field of each element that names a handle
    std::vector<std::string> extra; // handles always present, e.g. "default"
};

struct action_info {
    std::string integration;
    std::string id;
    std::string plugin_version;
    uint32_t plugin_major = 1;
    bool is_trigger = false;
    std::string trigger_kind;     // triggers: polling | webhook | schedule | manual
    bool side_effects = false;
    bool deprecated = false;
    flow_kind flow = flow_kind::action;
    std::vector<std::string> outputs; // declared handles; empty = one default output
    std::optional<dynamic_outputs_info> dynamic_outputs;
    std::string connection_type;      // empty when the action needs no connection
    boost::json::value input_schema;
    boost::json::value settings_schema;
    boost::json::value output_schema;
    boost::json::value sample_output;
    std::optional<compensation_info> compensation;
};

class action_catalog {
public:
    // Indexes every action and trigger of a (validated) manifest. A later manifest of the same
    // integration and major replaces an earlier one only when its version is higher.
    void add_manifest(const boost::json::value& manifest);

    const action_info* find(std::string_view integration, std::string_view action,
                            uint32_t plugin_major) const;
    bool has_integration(std::string_view integration) const;
    bool has_major(std::string_view integration, uint32_t plugin_major) const;
    std::vector<uint32_t> majors(std::string_view integration) const;

private:
    struct plugin_entry {
        std::string version;
        std::map<std::string, action_info, std::less<>> actions; // actions and triggers
    };
    std::map<std::pair<std::string, uint32_t>, plugin_entry, std::less<>> plugins_;
};

} // namespace sr::core::engine
