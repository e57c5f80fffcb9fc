#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::system {

// system.stop (flow stop): succeeds with settings.output (null when absent); the engine then
// ends the run as succeeded.
sdk::action stop_action();

} // namespace sr::plugins::system
