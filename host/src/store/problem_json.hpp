#pragma once
// Validation problems as JSON, the shape store_error details and the API use:
// [{"code", "node_id"?, "edge_id"?, "path"?, "message"}].
#include <vector>

#include <boost/json/array.hpp>

#include "sr/core/model/problem.hpp"

namespace sr::host {

boost::json::array problems_to_json(const std::vector<core::problem>& problems);

} // namespace sr::host
