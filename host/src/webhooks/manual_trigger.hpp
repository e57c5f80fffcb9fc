#pragma once
// POST /trigger/{scenario}: a manual run, started by a member with scenario:execute in the
// scenario's organization. The JSON body (optional) becomes the run's trigger data; an
// Idempotency-Key header makes a repeated call return the first run. Runs on a db_pool thread.
#include <string_view>

#include <pqxx/connection>

#include "http/http_message.hpp"

namespace sr::host {

// 202 {"run_id", "status_url"}; 200 with "duplicate": true for a repeated Idempotency-Key;
// problems: 401 unauthorized (no, bad or revoked token), 403 forbidden (role without
// scenario:execute), 404 scenario_not_found (unknown or another organization's), 400
// invalid_body (not JSON), 409 scenario_not_runnable. Writes an audit row with the run.
http_response trigger_manual_run(pqxx::connection& conn, const http_request& request, std::string_view scenario_id);

} // namespace sr::host
