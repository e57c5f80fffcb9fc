#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::router {

// router.aggregate (flow aggregate): outputs the iteration's collected outputs, which the
// engine injects as settings.items, with their count.
sdk::action aggregate_action();

} // namespace sr::plugins::router
