#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::system {

// system.http_request: any method, headers and body, through the host's asynchronous HTTP
// client; outputs {status, headers, body}.
sdk::action http_request_action();

} // namespace sr::plugins::system
