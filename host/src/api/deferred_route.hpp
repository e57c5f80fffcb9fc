#pragma once
// Routes whose answer waits for something other than the database (a plugin call, a dry-run):
// the same pipeline as authorized() (token, body size, permission, one transaction on a
// db_pool thread), but the work returns a continuation that starts after the commit and
// answers through `respond` whenever it is done. Nothing waits on a thread meanwhile.
#include <functional>

#include "api/api_call.hpp"

namespace sr::host {

// Called once, on the db_pool thread, after the transaction committed. It must only start
// asynchronous work (post to api_context::io) and return at once; it calls `respond` exactly
// once, from any thread. The request and route params stay valid until then.
using api_continuation = std::function<void(respond_fn respond)>;

// Runs inside the transaction like api_work; throwing (api_error, store_error) answers the
// problem and rolls back, as for any route.
using api_deferred_work = std::function<api_continuation(api_call&)>;

async_route_handler authorized_deferred(api_context& ctx, permission needed, api_deferred_work work);

} // namespace sr::host
