#pragma once
// One validate() call over a parsed definition: every check that needs the catalog, the graph
// or the settings, appending problems to the result. It reads the definition only, so
// compile_plan can take it afterwards.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sr/core/engine/action_catalog.hpp"
#include "sr/core/mapping/reference.hpp"
#include "sr/core/model/scenario.hpp"
#include "sr/core/validation/graph_analysis.hpp"
#include "sr/core/validation/scenario_validator.hpp"

namespace sr::core::validation {

class settings_checker;

class validation_pass {
public:
    validation_pass(const scenario_definition& def, const engine::action_catalog& catalog,
                    const validation_options& options, settings_checker& settings, validation_result& result);

    void run();

private:
    // A reference from a node's settings to another node, kept until ancestors are known.
    struct node_reference {
        uint32_t reader;
        uint32_t root;
        mapping::reference ref;
    };

    const scenario_definition& def_;
    const engine::action_catalog& catalog_;
    const validation_options& options_;
    settings_checker& settings_;
    validation_result& result_;

    std::unordered_map<std::string_view, uint32_t> index_; // views into def_, alive during run()
    std::vector<const engine::action_info*> info_;
    std::vector<bool> has_expressions_;
    std::vector<uint32_t> triggers_;
    std::vector<index_edge> graph_edges_;
    std::vector<node_reference> node_references_;

    void add(std::string code, uint32_t node, std::string path, std::string message, std::string edge_id = {});
    const std::string& id(uint32_t node) const { return def_.nodes[node].id; }
    int64_t find(std::string_view node_id) const;
    bool is_trigger(uint32_t node) const;
    bool is_scope_root(std::string_view root) const;

    void index_nodes();
    void check_types();
    void check_edges();
    static bool dynamic_handle_allowed(const engine::dynamic_outputs_info& dyn, const boost::json::value& settings,
                                       const std::string& handle);
    void check_handle(const scenario_edge& edge, uint32_t source);
    void check_cycles(const digraph& graph, const component_set& components);
    void check_reachability(const digraph& graph);
    void check_settings();
    void check_expressions();
    void check_references_per_string(uint32_t node);
    void check_reference(uint32_t node, mapping::reference ref);
    void check_upstream(const digraph& graph, const component_set& components);
};

} // namespace sr::core::validation
