#pragma once
// Which of a few chosen nodes (those some mapping refers to) run before each node: one bitset
// per node over the chosen nodes, filled in one pass over the components in topological order.
// Memory is nodes x chosen bits, so a graph with few references stays small however large.
#include <cstdint>
#include <span>
#include <vector>

#include "sr/core/validation/graph_analysis.hpp"

namespace sr::core::validation {

class upstream_index {
public:
    upstream_index(const digraph& graph, const component_set& components, std::span<const uint32_t> chosen);

    // True when a path leads from `chosen_node` to `node` (a node on a cycle is its own
    // ancestor). `chosen_node` must be one of the chosen nodes.
    bool is_upstream(uint32_t chosen_node, uint32_t node) const;

private:
    std::vector<int32_t> column_; // node -> its bit, or -1 when not chosen
    std::size_t words_ = 0;
    std::vector<uint64_t> bits_;  // node-major: bits_[node * words_ + w]
};

} // namespace sr::core::validation
