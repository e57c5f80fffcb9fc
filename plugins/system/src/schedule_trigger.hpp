#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::system {

// system.schedule: a scenario started by the host's scheduler on a cron expression in a time
// zone, with a catch-up policy for slots missed while no host ran.
sdk::trigger schedule_trigger();

} // namespace sr::plugins::system
