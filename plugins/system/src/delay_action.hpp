#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::system {

// system.delay: suspends the node until now + settings.seconds or until settings.until; the
// host resumes it at that time (a timer, never a waiting thread).
sdk::action delay_action();

} // namespace sr::plugins::system
