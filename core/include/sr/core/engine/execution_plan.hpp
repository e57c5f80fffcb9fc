#pragma once
// A scenario compiled for running: nodes and edges by index, each node joined to what its
// plugin's manifest says of its action, and the bodies of iterations worked out once.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "sr/core/engine/action_catalog.hpp"
#include "sr/core/model/problem.hpp"
#include "sr/core/model/scenario.hpp"

namespace sr::core::engine {

inline constexpr int32_t no_node = -1;

struct plan_edge {
    uint32_t source = 0;
    uint32_t target = 0;
    std::string handle; // source handle; empty = the default output
    edge_kind kind = edge_kind::success;
    uint32_t definition_index = 0;
};

struct plan_node {
    const scenario_node* definition = nullptr;
    const action_info* info = nullptr;
    std::vector<uint32_t> in_edges;
    std::vector<uint32_t> out_edges;
    bool has_error_edges = false;
    bool merge_any = false;          // merge nodes with settings.mode == "any"
    int32_t enclosing = no_node;     // innermost iterate whose body holds this node
    std::vector<uint32_t> body;      // iterate nodes: the nodes run once per item
    std::vector<uint32_t> collectors; // iterate nodes: aggregates fed by the body
    int32_t collects = no_node;      // aggregate nodes: the iterate they collect
    int64_t timeout_ms = 0;          // resolved: the node's own or the scenario default
};

class execution_plan {
public:
    const scenario_definition& definition() const { return definition_; }
    const std::vector<plan_node>& nodes() const { return nodes_; }
    const std::vector<plan_edge>& edges() const { return edges_; }
    uint32_t trigger() const { return trigger_; }
    int32_t index_of(std::string_view node_id) const;

private:
    friend struct plan_builder;
    friend struct compile_result compile_plan(scenario_definition, const action_catalog&);
    scenario_definition definition_;
    std::vector<plan_node> nodes_;
    std::vector<plan_edge> edges_;
    uint32_t trigger_ = 0;
    std::unordered_map<std::string, uint32_t> index_;
};

struct compile_result {
    std::shared_ptr<const execution_plan> plan; // null when there are problems
    std::vector<problem> problems;
};

// Structural compilation: exactly one trigger, known node types, edges between existing
// nodes, iteration bodies that are well nested. Deeper checks (cycles, handles, schemas,
// mappings, reachability) are the graph validator's.
compile_result compile_plan(scenario_definition definition, const action_catalog& catalog);

} // namespace sr::core::engine
