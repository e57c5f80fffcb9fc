#pragma once
// Graph algorithms the validator needs, on nodes numbered 0..n-1. All of them are iterative:
// a scenario is user input, and a 10,000-node chain must not exhaust the call stack.
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace sr::core::validation {

using index_edge = std::pair<uint32_t, uint32_t>; // source, target

// Adjacency in both directions, stored compactly (one offsets array and one targets array per
// direction) so walks over a large graph touch little memory and allocate nothing per node.
class digraph {
public:
    // Edges whose ends are not below `node_count` are ignored.
    digraph(uint32_t node_count, std::span<const index_edge> edges);

    uint32_t size() const { return node_count_; }
    std::span<const uint32_t> successors(uint32_t node) const;
    std::span<const uint32_t> predecessors(uint32_t node) const;

private:
    uint32_t node_count_;
    std::vector<uint32_t> out_offsets_, out_targets_;
    std::vector<uint32_t> in_offsets_, in_sources_;
};

// The strongly connected components, in topological order of the condensed graph (a
// component comes before every component it has an edge to). Members are in ascending order.
struct component_set {
    std::vector<uint32_t> component_of;             // node -> index into components
    std::vector<std::vector<uint32_t>> components;
    std::vector<uint32_t> cyclic;                   // components holding a cycle, ascending
};

// Tarjan's algorithm with an explicit stack.
component_set strongly_connected(const digraph& graph);

// Kahn's algorithm; nullopt when the graph has a cycle. Among ready nodes the lowest index
// goes first, so the order is deterministic.
std::optional<std::vector<uint32_t>> topological_order(const digraph& graph);

// A shortest cycle through `start`, as the nodes visited: start, ..., start. Empty when
// `start` is on no cycle.
std::vector<uint32_t> shortest_cycle(const digraph& graph, const component_set& components, uint32_t start);

// Every node reachable from `start` (start included), by breadth-first search.
std::vector<bool> reachable_from(const digraph& graph, uint32_t start);

} // namespace sr::core::validation
