#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::system {

// system.set_variables (flow variables): outputs settings.variables, which the engine keeps
// as run variables ({{vars.name}}).
sdk::action set_variables_action();

} // namespace sr::plugins::system
