// The bundled `router` integration: branching and flow control. Every action is free of side
// effects (dry runs really run them); the engine reads their `outputs`, `dynamic_outputs` and
// `flow` from the manifest and their chosen branch from the result's route (ABI 1.1).
#include "aggregate_action.hpp"
#include "filter_action.hpp"
#include "if_action.hpp"
#include "iterate_action.hpp"
#include "merge_action.hpp"
#include "switch_action.hpp"

#include <scenario/sdk.hpp>

namespace sr::plugins::router {

// The plugin package's own semver; bump it when actions, schemas or behaviour change.
constexpr const char* plugin_version = "1.0.0";

sdk::integration make_integration() {
    sdk::integration app("router", "Router", plugin_version);
    app.description("Branching and flow control: if/else, switch, filter, iterate, aggregate and merge.")
        .category("core")
        .author("Scenario Runtime")
        .icon("split")
        .color("#7C3AED")
        .keywords({"if", "switch", "filter", "iterate", "loop", "aggregate", "merge", "branch"})
        .tags({"builtin"})
        .add_action(if_action())
        .add_action(switch_action())
        .add_action(filter_action())
        .add_action(iterate_action())
        .add_action(aggregate_action())
        .add_action(merge_action());
    return app;
}

} // namespace sr::plugins::router

SR_PLUGIN(sr::plugins::router::make_integration)
