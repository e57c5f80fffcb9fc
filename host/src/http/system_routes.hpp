#pragma once
// GET /health and GET /system/info. They take their data through system_status so the daemon
// decides where it comes from (database pool, plugin registry) and tests can flip it.
#include "http/router.hpp"

#include <boost/json/fwd.hpp>

#include <functional>

namespace sr::host {

struct system_status {
    // True while the database answers. Runs on an I/O thread for every /health request, so
    // it must be quick: return a cached result, not a fresh round trip with a long timeout.
    std::function<bool()> database_reachable;
    // The body of /system/info (version, ABI, loaded and refused plugins).
    std::function<boost::json::value()> system_info;
};

void add_system_routes(router& routes, system_status status);

} // namespace sr::host
