#include "sr/core/validation/graph_analysis.hpp"

#include <algorithm>
#include <functional>
#include <queue>
#include <unordered_map>

namespace sr::core::validation {

namespace {

constexpr uint32_t unvisited = UINT32_MAX;

// Counting sort of the edges by one end: offsets[n]..offsets[n+1] index n's neighbours.
void build_adjacency(uint32_t node_count, std::span<const index_edge> edges, bool by_source,
                     std::vector<uint32_t>& offsets, std::vector<uint32_t>& neighbours) {
    offsets.assign(node_count + 1, 0);
    std::size_t valid = 0;
    for (const auto& [s, t] : edges) {
        if (s >= node_count || t >= node_count) continue;
        ++offsets[(by_source ? s : t) + 1];
        ++valid;
    }
    for (uint32_t n = 0; n < node_count; ++n) offsets[n + 1] += offsets[n];
    neighbours.resize(valid);
    std::vector<uint32_t> next(offsets.begin(), offsets.end() - 1);
    for (const auto& [s, t] : edges) {
        if (s >= node_count || t >= node_count) continue;
        neighbours[next[by_source ? s : t]++] = by_source ? t : s;
    }
}

} // namespace

digraph::digraph(uint32_t node_count, std::span<const index_edge> edges) : node_count_(node_count) {
    build_adjacency(node_count, edges, true, out_offsets_, out_targets_);
    build_adjacency(node_count, edges, false, in_offsets_, in_sources_);
}

std::span<const uint32_t> digraph::successors(uint32_t node) const {
    return {out_targets_.data() + out_offsets_[node], out_targets_.data() + out_offsets_[node + 1]};
}

std::span<const uint32_t> digraph::predecessors(uint32_t node) const {
    return {in_sources_.data() + in_offsets_[node], in_sources_.data() + in_offsets_[node + 1]};
}

component_set strongly_connected(const digraph& graph) {
    const uint32_t n = graph.size();
    component_set result;
    result.component_of.assign(n, unvisited);
    std::vector<uint32_t> order(n, unvisited); // discovery index
    std::vector<uint32_t> low(n, 0);
    std::vector<bool> on_stack(n, false);
    std::vector<uint32_t> stack;
    struct frame {
        uint32_t node;
        uint32_t next; // position in the node's successors
    };
    std::vector<frame> calls;
    uint32_t counter = 0;

    auto enter = [&](uint32_t v) {
        order[v] = low[v] = counter++;
        stack.push_back(v);
        on_stack[v] = true;
        calls.push_back({v, 0});
    };

    for (uint32_t root = 0; root < n; ++root) {
        if (order[root] != unvisited) continue;
        enter(root);
        while (!calls.empty()) {
            const uint32_t v = calls.back().node;
            auto succ = graph.successors(v);
            if (calls.back().next < succ.size()) {
                const uint32_t w = succ[calls.back().next++];
                if (order[w] == unvisited) enter(w);
                else if (on_stack[w]) low[v] = std::min(low[v], order[w]);
                continue;
            }
            calls.pop_back();
            if (!calls.empty()) low[calls.back().node] = std::min(low[calls.back().node], low[v]);
            if (low[v] != order[v]) continue;
            std::vector<uint32_t> members;
            uint32_t w;
            do {
                w = stack.back();
                stack.pop_back();
                on_stack[w] = false;
                members.push_back(w);
            } while (w != v);
            std::sort(members.begin(), members.end());
            result.components.push_back(std::move(members));
        }
    }
    // Tarjan finds components sinks first.
    std::reverse(result.components.begin(), result.components.end());
    for (uint32_t c = 0; c < result.components.size(); ++c) {
        const auto& members = result.components[c];
        for (uint32_t m : members) result.component_of[m] = c;
        const auto self = graph.successors(members.front());
        if (members.size() > 1 || std::find(self.begin(), self.end(), members.front()) != self.end())
            result.cyclic.push_back(c);
    }
    return result;
}

std::optional<std::vector<uint32_t>> topological_order(const digraph& graph) {
    const uint32_t n = graph.size();
    std::vector<uint32_t> in_degree(n);
    std::priority_queue<uint32_t, std::vector<uint32_t>, std::greater<>> ready;
    for (uint32_t v = 0; v < n; ++v) {
        in_degree[v] = static_cast<uint32_t>(graph.predecessors(v).size());
        if (in_degree[v] == 0) ready.push(v);
    }
    std::vector<uint32_t> order;
    order.reserve(n);
    while (!ready.empty()) {
        const uint32_t v = ready.top();
        ready.pop();
        order.push_back(v);
        for (uint32_t w : graph.successors(v))
            if (--in_degree[w] == 0) ready.push(w);
    }
    if (order.size() != n) return std::nullopt;
    return order;
}

std::vector<uint32_t> shortest_cycle(const digraph& graph, const component_set& components, uint32_t start) {
    // Breadth-first from start inside its component; the first edge back to start closes the
    // shortest cycle through it. Parents live in a map sized to the component, so reporting
    // many small cycles in a big graph stays linear.
    const uint32_t component = components.component_of[start];
    std::unordered_map<uint32_t, uint32_t> parent;
    parent.reserve(components.components[component].size());
    std::vector<uint32_t> queue{start};
    parent.emplace(start, start);
    for (std::size_t head = 0; head < queue.size(); ++head) {
        const uint32_t v = queue[head];
        for (uint32_t w : graph.successors(v)) {
            if (w == start) {
                std::vector<uint32_t> path{start};
                for (uint32_t x = v; x != start; x = parent.at(x)) path.push_back(x);
                path.push_back(start);
                std::reverse(path.begin() + 1, path.end() - 1);
                return path;
            }
            if (components.component_of[w] != component || !parent.emplace(w, v).second) continue;
            queue.push_back(w);
        }
    }
    return {};
}

std::vector<bool> reachable_from(const digraph& graph, uint32_t start) {
    std::vector<bool> seen(graph.size(), false);
    if (start >= graph.size()) return seen;
    std::vector<uint32_t> queue{start};
    seen[start] = true;
    for (std::size_t head = 0; head < queue.size(); ++head)
        for (uint32_t w : graph.successors(queue[head]))
            if (!seen[w]) {
                seen[w] = true;
                queue.push_back(w);
            }
    return seen;
}

} // namespace sr::core::validation
