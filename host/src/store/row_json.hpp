#pragma once
// Repository rows as JSON objects (for the API and scenarioctl).
#include <boost/json/object.hpp>

#include "store/scenario_repository.hpp"
#include "store/version_repository.hpp"

namespace sr::host {

boost::json::object to_json(const scenario_row& row, bool with_draft = true);
boost::json::object to_json(const version_row& row, bool with_definition = true);

} // namespace sr::host
