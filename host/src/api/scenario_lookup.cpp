#include "api/scenario_lookup.hpp"

#include "api/api_error.hpp"

namespace sr::host {

scenario_row require_scenario(api_call& call) {
    auto row = find_scenario(call.tx, call.who.org_id, call.param("scenario"));
    if (!row) throw api_error(404, "not_found", "no scenario '" + call.param("scenario") + "'");
    return std::move(*row);
}

} // namespace sr::host
