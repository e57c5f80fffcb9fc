#include "sr/core/validation/scenario_validator.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include <boost/json.hpp>

#include "settings_checker.hpp"
#include "validation_pass.hpp"

namespace sr::core::validation {

namespace json = boost::json;

namespace {

// Scenario-wide problems first, then by node in definition order, then edge-only problems in
// edge order; within one place by code, keeping the order found among equals.
void sort_problems(std::vector<problem>& problems, const std::vector<std::string>& node_ids,
                   const std::vector<std::string>& edge_ids) {
    if (problems.empty()) return;
    std::unordered_map<std::string_view, uint32_t> nodes, edges;
    for (uint32_t i = 0; i < node_ids.size(); ++i) nodes.emplace(node_ids[i], i);
    for (uint32_t i = 0; i < edge_ids.size(); ++i) edges.emplace(edge_ids[i], i);
    struct keyed {
        int group;
        uint32_t index;
        problem p;
    };
    std::vector<keyed> items;
    items.reserve(problems.size());
    for (auto& p : problems) {
        keyed k{0, 0, std::move(p)};
        if (auto it = nodes.find(k.p.node_id); !k.p.node_id.empty() && it != nodes.end()) {
            k.group = 1;
            k.index = it->second;
        } else if (auto e = edges.find(k.p.edge_id); !k.p.edge_id.empty() && e != edges.end()) {
            k.group = 2;
            k.index = e->second;
        }
        items.push_back(std::move(k));
    }
    std::stable_sort(items.begin(), items.end(), [](const keyed& a, const keyed& b) {
        if (a.group != b.group) return a.group < b.group;
        if (a.index != b.index) return a.index < b.index;
        return a.p.code < b.p.code;
    });
    problems.clear();
    for (auto& k : items) problems.push_back(std::move(k.p));
}

} // namespace

scenario_validator::scenario_validator(const engine::action_catalog& catalog, validation_options options)
    : catalog_(catalog), options_(std::move(options)), settings_(std::make_unique<settings_checker>()) {}

scenario_validator::~scenario_validator() = default;

std::size_t scenario_validator::parsed_schema_count() const { return settings_->parsed_count(); }

validation_result scenario_validator::validate(const json::value& scenario_json) const {
    validation_result result;
    parse_result parsed = parse_scenario(scenario_json);
    if (!parsed.definition) {
        // Without a definition nothing else can be checked; these are already in document order.
        result.problems = std::move(parsed.problems);
        return result;
    }
    // Copied: compile_plan takes the definition, and problems are sorted afterwards.
    std::vector<std::string> node_ids, edge_ids;
    node_ids.reserve(parsed.definition->nodes.size());
    edge_ids.reserve(parsed.definition->edges.size());
    for (const auto& n : parsed.definition->nodes) node_ids.push_back(n.id);
    for (const auto& e : parsed.definition->edges) edge_ids.push_back(e.id);

    validation_pass(*parsed.definition, catalog_, options_, *settings_, result).run();

    engine::compile_result compiled = engine::compile_plan(std::move(*parsed.definition), catalog_);
    for (auto& p : compiled.problems)
        if (p.code != "unknown_action") result.problems.push_back(std::move(p)); // reported in detail above
    sort_problems(result.problems, node_ids, edge_ids);
    if (result.problems.empty()) result.plan = std::move(compiled.plan);
    return result;
}

validation_result validate_scenario(const json::value& scenario_json, const engine::action_catalog& catalog,
                                    const validation_options& options) {
    return scenario_validator(catalog, options).validate(scenario_json);
}

} // namespace sr::core::validation
