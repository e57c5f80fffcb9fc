#pragma once
// One plugin call made by an API route (e.g. "test connection") without any thread waiting
// for it: the outcome comes back through a callback, or nothing does within the timeout and
// the call is cancelled.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include <boost/asio/any_io_executor.hpp>

#include "sr/core/plugin/call_outcome.hpp"
#include "sr/core/plugin/call_request.hpp"
#include "sr/core/plugin/plugin_instance.hpp"

namespace sr::host {

// `done` runs exactly once, on a strand of `io`: with the plugin's outcome, or with nullopt
// when it did not complete within `timeout` (the call is then cancelled and its late outcome
// dropped). The request (which may hold credentials) is moved into the call and kept nowhere else.
void async_plugin_call(boost::asio::any_io_executor io, std::shared_ptr<core::plugin_instance> plugin,
                       core::call_request request,
                       std::chrono::milliseconds timeout,
                       std::function<void(std::optional<core::call_outcome>)> done);

} // namespace sr::host
