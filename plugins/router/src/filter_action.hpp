#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::router {

// router.filter: lets the branch continue when settings.condition is truthy, else ends it.
sdk::action filter_action();

} // namespace sr::plugins::router
