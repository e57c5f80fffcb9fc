#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::router {

// router.iterate (flow iterate): hands settings.items to the engine, which runs the
// downstream branch once per item, at most `concurrency` at a time.
sdk::action iterate_action();

} // namespace sr::plugins::router
