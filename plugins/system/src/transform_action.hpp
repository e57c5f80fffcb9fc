#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::system {

// system.transform: outputs settings.output, the JSON the host's mapping built from
// expressions (reshaping data between nodes).
sdk::action transform_action();

} // namespace sr::plugins::system
