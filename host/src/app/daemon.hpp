#pragma once
// scenariod from start to stop: open (or start) the database, migrate, load and seed the
// plugins, serve HTTP until SIGTERM or SIGINT, then shut down in reverse order.
#include "app/options.hpp"

namespace sr::host {

// Returns the process exit code. Errors that stop start-up are logged with their reason.
int run_daemon(const daemon_options& options);

} // namespace sr::host
