#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::system {

// system.respond: outputs the HTTP response {status, headers, body} that a synchronous
// webhook sends back to its caller.
sdk::action respond_action();

} // namespace sr::plugins::system
