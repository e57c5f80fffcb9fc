#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::system {

// system.manual: a scenario started by hand (UI, CLI or API) with an optional payload.
sdk::trigger manual_trigger();

} // namespace sr::plugins::system
