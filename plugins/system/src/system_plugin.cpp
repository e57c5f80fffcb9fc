// The bundled `system` integration: building blocks every scenario needs, and the plugin
// that exercises the whole ABI (synchronous actions, asynchronous HTTP, webhooks).
#include "delay_action.hpp"
#include "fail_action.hpp"
#include "http_request_action.hpp"
#include "log_action.hpp"
#include "manual_trigger.hpp"
#include "schedule_trigger.hpp"
#include "respond_action.hpp"
#include "set_action.hpp"
#include "set_variables_action.hpp"
#include "stop_action.hpp"
#include "transform_action.hpp"
#include "webhook_trigger.hpp"

#include <scenario/sdk.hpp>

namespace sr::plugins::system {

// The plugin package's own semver; bump it when actions, schemas or behaviour change.
constexpr const char* plugin_version = "1.2.0";

sdk::integration make_integration() {
    sdk::integration app("system", "System", plugin_version);
    app.description("Built-in building blocks: log, set values and variables, transform JSON, HTTP requests, "
                    "delays, stop and fail, webhook responses, manual and webhook triggers.")
        .category("core")
        .author("Scenario Runtime")
        .icon("gear")
        .color("#4B5563")
        .keywords({"log", "set", "variables", "transform", "http", "delay", "stop", "fail", "respond", "webhook",
                   "manual"})
        .tags({"builtin"})
        .add_action(log_action())
        .add_action(set_action())
        .add_action(http_request_action())
        .add_action(delay_action())
        .add_action(set_variables_action())
        .add_action(transform_action())
        .add_action(stop_action())
        .add_action(fail_action())
        .add_action(respond_action())
        .add_trigger(manual_trigger())
        .add_trigger(webhook_trigger())
        .add_trigger(schedule_trigger());
    return app;
}

} // namespace sr::plugins::system

SR_PLUGIN(sr::plugins::system::make_integration)
