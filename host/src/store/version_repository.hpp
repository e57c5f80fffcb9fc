#pragma once
// Published versions of a scenario: immutable numbered snapshots of the draft, with one
// scenario_nodes row per node (pinning its plugin major) and one scenario_edges row per edge.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <pqxx/transaction_base>

#include "store/store_error.hpp"

namespace sr::host {

struct version_row {
    std::string id, scenario_id;
    int number = 0;
    std::string label, change_summary, published_at, published_by; // "" when absent
    boost::json::value definition;
};

// Returns the problems found in a graph as a JSON array (empty = publishable), e.g. built
// from core::validation::validate_scenario and problems_to_json.
using graph_validator = std::function<boost::json::array(const boost::json::value& graph)>;

// In the caller's transaction: locks the scenario row, validates the draft with `validate`
// (problems → store_error{"validation_failed", ..., problems} and nothing is written), checks
// its structure with core's parser (same error), snapshots it as version max+1 with its nodes
// and edges, makes it current and sets status 'active'. `user_id` may be "".
version_row publish_scenario(pqxx::transaction_base& tx, std::string_view org_id, std::string_view scenario_id,
                             std::string_view user_id, std::string_view change_summary,
                             const graph_validator& validate);

// Newest first. not_found when the scenario is not in the organization.
std::vector<version_row> list_versions(pqxx::transaction_base& tx, std::string_view org_id,
                                       std::string_view scenario_id);

// Not scoped by organization: the caller has already found the scenario in its organization.
std::optional<version_row> find_version(pqxx::transaction_base& tx, std::string_view scenario_id,
                                        std::string_view version_id);

// Makes version `number` current (status unchanged). not_found for an unknown scenario or number.
version_row rollback_scenario(pqxx::transaction_base& tx, std::string_view org_id, std::string_view scenario_id,
                              int number);

} // namespace sr::host
