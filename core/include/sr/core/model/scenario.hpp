#pragma once
// The scenario definition: a graph in the shape React Flow stores, so the editor can save it
// as is. Parsing checks structure only (types, required fields, unique ids); what the graph
// means (cycles, handles, schemas, mappings) is checked by the graph validator.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "sr/core/model/problem.hpp"

namespace sr::core {

enum class edge_kind : uint8_t { success, error };

struct node_position {
    double x = 0;
    double y = 0;
};

// Per-node retry policy (data.retry). Delays in milliseconds.
struct retry_settings {
    uint32_t max_attempts = 1;
    int64_t base_delay_ms = 1000;
    double multiplier = 2.0;
    int64_t max_delay_ms = 60'000;
    bool jitter = true;
};

// What happens when a node fails for good (data.on_error), Make-style.
enum class error_directive : uint8_t {
    none,     // follow the node's error edges if it has any, else the run fails
    ignore,   // the failure is recorded; the node's branch ends; the run goes on
    resume,   // the node succeeds with `fallback_output`
    break_,   // the run stops as incomplete, to be retried later
    commit,   // the run stops, keeping what was done, as succeeded
    rollback  // the run stops; completed side-effect nodes are compensated, newest first
};

struct scenario_node {
    std::string id;
    std::string type;        // "<integration>.<action>"
    std::string integration; // before the first '.'
    std::string action;      // after it
    uint32_t plugin_major = 1;
    node_position position;
    std::string label;
    boost::json::value settings;     // data.settings: may hold {{expressions}}
    std::string connection_id;       // data.connection_id; empty when none
    retry_settings retry;            // data.retry
    error_directive on_error = error_directive::none; // data.on_error.directive
    boost::json::value fallback_output;              // data.on_error.output
    int64_t timeout_ms = 0;          // data.timeout_ms; 0 = the scenario default
    boost::json::value raw;          // the node as stored, for round trips
};

struct scenario_edge {
    std::string id;
    std::string source;
    std::string source_handle; // empty = the default output
    std::string target;
    std::string target_handle;
    std::string label;
    edge_kind kind = edge_kind::success;
    boost::json::value raw;
};

struct scenario_settings {
    int64_t timeout_ms = 0;           // whole run; 0 = none
    int64_t node_timeout_ms = 30'000; // default per node
    uint32_t max_parallel = 16;       // nodes of one run in flight at once
};

struct scenario_definition {
    std::vector<scenario_node> nodes;
    std::vector<scenario_edge> edges;
    scenario_settings settings;
    boost::json::value viewport; // UI state, kept as is

    const scenario_node* find_node(std::string_view id) const;
};

struct parse_result {
    std::optional<scenario_definition> definition; // set when there are no problems
    std::vector<problem> problems;
};

// Parses {nodes, edges, settings?, viewport?}. Reports every structural problem at once.
parse_result parse_scenario(const boost::json::value& json);

// Serialises back to the React Flow shape (raw node/edge objects keep unknown UI fields).
boost::json::value to_json(const scenario_definition& definition);

const char* to_string(error_directive directive);
std::optional<error_directive> parse_error_directive(std::string_view text);

} // namespace sr::core
