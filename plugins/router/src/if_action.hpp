#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::router {

// router.if: follows the "true" or the "false" output by the truthiness of settings.condition.
sdk::action if_action();

} // namespace sr::plugins::router
