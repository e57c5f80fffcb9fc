#include "api/api_routes.hpp"

namespace sr::host {

void add_api_routes(router& routes, api_context& ctx) {
    add_integration_routes(routes, ctx);
    add_scenario_routes(routes, ctx);
    add_version_routes(routes, ctx);
    add_run_routes(routes, ctx);
    add_connection_routes(routes, ctx);
    add_metrics_routes(routes, ctx);
    add_field_options_routes(routes, ctx);
    add_dry_run_routes(routes, ctx);
    add_connection_test_routes(routes, ctx);
    add_webhook_endpoint_routes(routes, ctx);
    add_manual_run_routes(routes, ctx);
}

} // namespace sr::host
