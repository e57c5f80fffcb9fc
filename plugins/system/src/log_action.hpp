#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::system {

// system.log: writes settings.message through the host log at settings.level.
sdk::action log_action();

} // namespace sr::plugins::system
