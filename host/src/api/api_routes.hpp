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
// A dry-run of the draft or a version: side-effect actions previewed, nothing stored.
void add_dry_run_routes(router& routes, api_context& ctx);
// "Test connection" of a stored connection or of unsaved credentials of a connection type.
void add_connection_test_routes(router& routes, api_context& ctx);
// A scenario's webhook endpoints: list, reveal and rotate the secret.
void add_webhook_endpoint_routes(router& routes, api_context& ctx);
// A manual run (POST /api/v1/scenarios/{scenario}/runs).
void add_manual_run_routes(router& routes, api_context& ctx);

} // namespace sr::host
