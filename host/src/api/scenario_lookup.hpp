#pragma once
// The scenario a route names with its {scenario} parameter, looked up in the caller's
// organization only, so another organization's id reads as unknown.
#include "api/api_call.hpp"
#include "store/scenario_repository.hpp"

namespace sr::host {

// 404 not_found when the caller's organization has no such scenario.
scenario_row require_scenario(api_call& call);

} // namespace sr::host
