#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::system {

// system.fail: fails the node with settings.code and settings.message, fatal unless
// settings.retryable; the node's retry policy, error edges and directives then apply.
sdk::action fail_action();

} // namespace sr::plugins::system
