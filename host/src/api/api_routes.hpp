#pragma once
// The REST API under /api/v1: integrations and their manifests; scenarios (create, list, get,
// update, delete); the draft graph (GET/PUT, React Flow shape, optimistic revision); publish,
// versions and rollback. Documented in docs/openapi.json (tests check both agree).
#include "api/api_context.hpp"
#include "http/router.hpp"

namespace sr::host {

// `ctx` must outlive the router.
void add_api_routes(router& routes, api_context& ctx);

// The parts, for tests and for composing.
void add_integration_routes(router& routes, api_context& ctx);
void add_scenario_routes(router& routes, api_context& ctx);
void add_version_routes(router& routes, api_context& ctx);
// Runs (list, get, cancel, retry) and scenario pause/resume.
void add_run_routes(router& routes, api_context& ctx);
// Connections (masked; 503 without a vault).
void add_connection_routes(router& routes, api_context& ctx);
// The metrics summary over a time range.
void add_metrics_routes(router& routes, api_context& ctx);
// Options of a dynamic field, from the plugin, cached with the field's TTL.
void add_field_options_routes(router& routes, api_context& ctx);

} // namespace sr::host
