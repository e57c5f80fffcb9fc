#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::router {

// router.merge (flow merge): the engine runs it once all ("all") or the first ("any") of its
// incoming branches arrive; it outputs the mode it joined with.
sdk::action merge_action();

} // namespace sr::plugins::router
