#pragma once
// Checks a scenario definition against the actions the host knows and reports every problem
// at once, each naming its node and/or edge and a stable code, so an editor can mark them all:
//   structural problems of parse_scenario and compile_plan (passed through), cycle,
//   unknown_integration, unknown_action, unknown_version, unknown_handle, invalid_settings,
//   invalid_schema, invalid_expression, unknown_reference, reference_not_upstream,
//   unreachable_node, missing_connection (when required).
// Problems come in a stable order: scenario-wide ones first, then by node (in definition
// order), then edge-only ones by edge; within one node by code.
#include <memory>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "sr/core/engine/action_catalog.hpp"
#include "sr/core/engine/execution_plan.hpp"
#include "sr/core/model/problem.hpp"

namespace sr::core::validation {

struct validation_options {
    // Actions whose manifest names a connection type must have data.connection_id. Off for
    // dry-runs and drafts, which may not have credentials yet.
    bool require_connections = false;
    // Mapping roots that are not node ids and are always readable ("trigger" is the trigger
    // node, whatever its id).
    std::vector<std::string> scope_roots{"trigger", "vars", "run"};
};

struct validation_result {
    std::shared_ptr<const engine::execution_plan> plan; // null when there is any problem
    std::vector<problem> problems;
    std::vector<problem> warnings;                      // do not block: deprecated_action
    bool ok() const { return problems.empty(); }
};

class settings_checker;

// Holds parsed settings schemas between validations, so validating many scenarios (or one
// large one) parses each action's schema once. Thread-safe. The catalog must outlive the
// validator and must not change while it lives (cached schemas are keyed by catalog entry).
class scenario_validator {
public:
    explicit scenario_validator(const engine::action_catalog& catalog, validation_options options = {});
    ~scenario_validator();
    scenario_validator(const scenario_validator&) = delete;
    scenario_validator& operator=(const scenario_validator&) = delete;

    validation_result validate(const boost::json::value& scenario_json) const;

    // How many settings schemas were parsed so far (for tests of the cache).
    std::size_t parsed_schema_count() const;

private:
    const engine::action_catalog& catalog_;
    validation_options options_;
    std::unique_ptr<settings_checker> settings_;
};

// One-off validation (schemas are parsed once per call).
validation_result validate_scenario(const boost::json::value& scenario_json, const engine::action_catalog& catalog,
                                    const validation_options& options = {});

} // namespace sr::core::validation
