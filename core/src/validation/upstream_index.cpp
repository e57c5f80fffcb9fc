#include "upstream_index.hpp"

namespace sr::core::validation {

upstream_index::upstream_index(const digraph& graph, const component_set& components,
                               std::span<const uint32_t> chosen)
    : column_(graph.size(), -1) {
    int32_t columns = 0;
    for (uint32_t c : chosen)
        if (c < graph.size() && column_[c] < 0) column_[c] = columns++;
    words_ = (static_cast<std::size_t>(columns) + 63) / 64;
    if (words_ == 0) return;
    bits_.assign(graph.size() * words_, 0);

    std::vector<uint64_t> acc(words_);
    auto set = [&](uint32_t node) {
        if (column_[node] >= 0) acc[static_cast<std::size_t>(column_[node]) / 64] |= uint64_t{1} << (column_[node] % 64);
    };
    // Every member of a component has the same ancestors: those of the component's outside
    // predecessors, plus the members themselves when the component is a cycle.
    for (uint32_t c = 0; c < components.components.size(); ++c) {
        const auto& members = components.components[c];
        std::fill(acc.begin(), acc.end(), 0);
        for (uint32_t m : members) {
            for (uint32_t p : graph.predecessors(m)) {
                if (components.component_of[p] == c) continue;
                const uint64_t* from = &bits_[p * words_];
                for (std::size_t w = 0; w < words_; ++w) acc[w] |= from[w];
                set(p);
            }
        }
        const bool cyclic = members.size() > 1 || [&] {
            for (uint32_t s : graph.successors(members.front()))
                if (s == members.front()) return true;
            return false;
        }();
        if (cyclic)
            for (uint32_t m : members) set(m);
        for (uint32_t m : members) std::copy(acc.begin(), acc.end(), bits_.begin() + static_cast<std::ptrdiff_t>(m * words_));
    }
}

bool upstream_index::is_upstream(uint32_t chosen_node, uint32_t node) const {
    if (chosen_node >= column_.size() || node >= column_.size() || column_[chosen_node] < 0) return false;
    const auto col = static_cast<std::size_t>(column_[chosen_node]);
    return (bits_[node * words_ + col / 64] >> (col % 64)) & 1u;
}

} // namespace sr::core::validation
