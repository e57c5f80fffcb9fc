#include "sr/core/engine/execution_plan.hpp"

#include <algorithm>
#include <deque>

#include <boost/json.hpp>
#include <fmt/format.h>

namespace sr::core::engine {

int32_t execution_plan::index_of(std::string_view node_id) const {
    auto it = index_.find(std::string(node_id));
    return it == index_.end() ? no_node : static_cast<int32_t>(it->second);
}

struct plan_builder {
    execution_plan& plan;
    const action_catalog& catalog;
    std::vector<problem>& problems;

    void index_nodes() {
        const auto& def = plan.definition_;
        plan.nodes_.resize(def.nodes.size());
        int triggers = 0;
        for (uint32_t i = 0; i < def.nodes.size(); ++i) {
            const auto& n = def.nodes[i];
            plan.index_.emplace(n.id, i);
            plan_node& pn = plan.nodes_[i];
            pn.definition = &n;
            pn.info = catalog.find(n.integration, n.action, n.plugin_major);
            pn.timeout_ms = n.timeout_ms > 0 ? n.timeout_ms : def.settings.node_timeout_ms;
            if (pn.info && pn.info->flow == flow_kind::merge && n.settings.is_object()) {
                auto* mode = n.settings.get_object().if_contains("mode");
                pn.merge_any = mode && mode->is_string() && mode->get_string() == "any";
            }
            if (pn.info && pn.info->is_trigger) {
                ++triggers;
                plan.trigger_ = i;
            }
        }
        if (triggers != 1 && !def.nodes.empty())
            problems.push_back({triggers == 0 ? "no_trigger" : "several_triggers", {}, {}, {},
                                fmt::format("a scenario needs exactly one trigger node; found {}", triggers)});
        if (def.nodes.empty()) problems.push_back({"no_trigger", {}, {}, {}, "a scenario needs a trigger node"});
    }

    void index_edges() {
        const auto& def = plan.definition_;
        for (uint32_t i = 0; i < def.edges.size(); ++i) {
            const auto& e = def.edges[i];
            int32_t s = plan.index_of(e.source);
            int32_t t = plan.index_of(e.target);
            if (s == no_node || t == no_node) {
                problems.push_back({"unknown_edge_node", {}, e.id, {},
                                    fmt::format("edge '{}' joins '{}' to '{}', and '{}' is not a node", e.id, e.source,
                                                e.target, s == no_node ? e.source : e.target)});
                continue;
            }
            if (static_cast<uint32_t>(t) == plan.trigger_ && plan.nodes_[static_cast<uint32_t>(t)].info &&
                plan.nodes_[static_cast<uint32_t>(t)].info->is_trigger) {
                problems.push_back({"edge_into_trigger", {}, e.id, {}, fmt::format("edge '{}' leads into the trigger", e.id)});
                continue;
            }
            auto index = static_cast<uint32_t>(plan.edges_.size());
            plan.edges_.push_back({static_cast<uint32_t>(s), static_cast<uint32_t>(t), e.source_handle, e.kind, i});
            plan.nodes_[static_cast<uint32_t>(s)].out_edges.push_back(index);
            plan.nodes_[static_cast<uint32_t>(t)].in_edges.push_back(index);
            if (e.kind == edge_kind::error) plan.nodes_[static_cast<uint32_t>(s)].has_error_edges = true;
        }
    }

    bool is_flow(uint32_t n, flow_kind k) const {
        return plan.nodes_[n].info && plan.nodes_[n].info->flow == k;
    }

    // The body of iterate `x`: everything reachable from it until the aggregates that close it.
    // Depth counts the iterations opened on the way, so an inner iteration's aggregate does not
    // close the outer one.
    void compute_body(uint32_t x) {
        std::vector<int32_t> depth_seen(plan.nodes_.size(), -1);
        std::deque<std::pair<uint32_t, int32_t>> queue;
        for (uint32_t e : plan.nodes_[x].out_edges) queue.emplace_back(plan.edges_[e].target, 0);
        auto& px = plan.nodes_[x];
        while (!queue.empty()) {
            auto [n, depth] = queue.front();
            queue.pop_front();
            if (n == x) continue; // a cycle; the validator reports it
            if (is_flow(n, flow_kind::aggregate) && depth == 0) {
                if (std::find(px.collectors.begin(), px.collectors.end(), n) == px.collectors.end()) {
                    px.collectors.push_back(n);
                    if (plan.nodes_[n].collects != no_node && plan.nodes_[n].collects != static_cast<int32_t>(x))
                        problems.push_back({"aggregate_mismatch", plan.nodes_[n].definition->id, {}, {},
                                            "an aggregate can collect the items of only one iterate"});
                    plan.nodes_[n].collects = static_cast<int32_t>(x);
                }
                continue;
            }
            if (depth_seen[n] != -1) {
                if (depth_seen[n] != depth)
                    problems.push_back({"iteration_mismatch", plan.nodes_[n].definition->id, {}, {},
                                        "this node is reached both inside and outside an iteration"});
                continue;
            }
            depth_seen[n] = depth;
            px.body.push_back(n);
            int32_t next = depth;
            if (is_flow(n, flow_kind::iterate)) ++next;
            if (is_flow(n, flow_kind::aggregate)) --next;
            if (px.body.size() > plan.nodes_.size()) break;
            for (uint32_t e : plan.nodes_[n].out_edges) queue.emplace_back(plan.edges_[e].target, next);
        }
        std::sort(px.body.begin(), px.body.end());
    }

    void compute_iterations() {
        std::vector<uint32_t> iterates;
        for (uint32_t i = 0; i < plan.nodes_.size(); ++i)
            if (is_flow(i, flow_kind::iterate)) iterates.push_back(i);
        for (uint32_t x : iterates) compute_body(x);
        // The innermost iteration is the one with the smallest body holding the node.
        for (uint32_t x : iterates) {
            for (uint32_t n : plan.nodes_[x].body) {
                int32_t& enc = plan.nodes_[n].enclosing;
                if (enc == no_node || plan.nodes_[x].body.size() < plan.nodes_[static_cast<uint32_t>(enc)].body.size())
                    enc = static_cast<int32_t>(x);
            }
        }
        for (uint32_t x : iterates) check_body_closed(x);
    }

    // Every edge into a body node must come from the iterate itself or from inside the body:
    // a body node fed from outside would not know which item it runs for.
    void check_body_closed(uint32_t x) {
        const auto& body = plan.nodes_[x].body;
        for (uint32_t n : body) {
            for (uint32_t e : plan.nodes_[n].in_edges) {
                uint32_t s = plan.edges_[e].source;
                if (s != x && !std::binary_search(body.begin(), body.end(), s))
                    problems.push_back({"iteration_leak", plan.nodes_[n].definition->id,
                                        plan.definition_.edges[plan.edges_[e].definition_index].id, {},
                                        fmt::format("node '{}' runs once per item of '{}' but is also fed from '{}', outside that iteration",
                                                    plan.nodes_[n].definition->id, plan.nodes_[x].definition->id,
                                                    plan.nodes_[s].definition->id)});
            }
        }
    }
};

compile_result compile_plan(scenario_definition definition, const action_catalog& catalog) {
    auto plan = std::make_shared<execution_plan>();
    compile_result result;
    plan->definition_ = std::move(definition);
    plan_builder builder{*plan, catalog, result.problems};
    builder.index_nodes();
    for (const auto& pn : plan->nodes_)
        if (!pn.info)
            result.problems.push_back({"unknown_action", pn.definition->id, {}, "type",
                                       fmt::format("no action or trigger '{}' in plugin major {}", pn.definition->type,
                                                   pn.definition->plugin_major)});
    builder.index_edges();
    if (result.problems.empty()) builder.compute_iterations();
    if (result.problems.empty()) result.plan = std::move(plan);
    return result;
}

} // namespace sr::core::engine
