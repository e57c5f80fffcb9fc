#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::router {

// router.switch: follows the handle of the first case whose `equals` matches settings.value,
// else "default". Its output handles come from its settings (cases[].handle) plus "default".
sdk::action switch_action();

} // namespace sr::plugins::router
