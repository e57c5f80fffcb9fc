#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::system {

// system.set: outputs the JSON value of settings.value (built by the host's mapping).
sdk::action set_action();

} // namespace sr::plugins::system
