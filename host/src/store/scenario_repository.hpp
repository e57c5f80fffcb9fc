#pragma once
// Scenarios of an organization: create, read, change, delete, and the draft graph saved as it
// is edited (optimistic locking on draft_revision). Every function is scoped to `org_id` and
// never sees another organization's rows: a foreign or malformed id is simply not found.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <pqxx/transaction_base>

#include "store/store_error.hpp"

namespace sr::host {

struct scenario_row {
    std::string id, organization_id, name, description, status, pause_policy;
    std::string current_version_id; // "" when none
    int current_version_number = 0;
    boost::json::value draft_graph;
    int64_t draft_revision = 0;
    boost::json::value settings;
    std::string created_at, updated_at; // ISO 8601 UTC
};

// `user_id` may be "" (no creator). `settings` null means {}. Throws store_error:
// not_found (organization), invalid_input (empty name, settings not an object, bad user id).
scenario_row create_scenario(pqxx::transaction_base& tx, std::string_view org_id, std::string_view user_id,
                             std::string_view name, std::string_view description, boost::json::value settings);

// Newest first; `after_id` is the id of the last scenario of the previous page ("" = first page).
// `limit` is clamped to 1..500. An unknown `after_id` throws store_error{"invalid_input"}.
std::vector<scenario_row> list_scenarios(pqxx::transaction_base& tx, std::string_view org_id, int limit,
                                         std::string_view after_id);

std::optional<scenario_row> find_scenario(pqxx::transaction_base& tx, std::string_view org_id,
                                          std::string_view scenario_id);

// `patch` may hold name, description (string or null), settings (object), pause_policy
// (queue|reject); anything else is invalid_input. Returns the row after the change.
scenario_row update_scenario(pqxx::transaction_base& tx, std::string_view org_id, std::string_view scenario_id,
                             const boost::json::object& patch);

// False when there is no such scenario in the organization. Its versions and runs go with it.
bool delete_scenario(pqxx::transaction_base& tx, std::string_view org_id, std::string_view scenario_id);

// Saves the graph as edited ({nodes, edges, viewport}); expected_revision < 0 skips the check,
// otherwise a mismatch throws store_error{"conflict"} (details: {"current_revision": n}).
// Returns the new revision. A graph that is not an object is invalid_input.
int64_t save_draft(pqxx::transaction_base& tx, std::string_view org_id, std::string_view scenario_id,
                   const boost::json::value& graph, int64_t expected_revision);

} // namespace sr::host
