#include "aggregate_action.hpp"

#include <cstdint>

namespace sr::plugins::router {

namespace {

sdk::result run_aggregate(sdk::action_context& ctx) {
    const auto* items = ctx.settings().if_contains("items");
    if (items == nullptr || !items->is_array()) {
        return sdk::result::invalid_settings(
                "settings.items must be an array: place aggregate after the body of an iterate node");
    }
    const auto count = static_cast<uint64_t>(items->get_array().size());
    return sdk::result::success(boost::json::object{{"items", *items}, {"count", count}});
}

} // namespace

sdk::action aggregate_action() {
    return sdk::action("aggregate", "Aggregate")
        .description("Collects one output per item of the iteration that feeds it (in item order, skipping items "
                     "whose branch did not reach it) and outputs them as one array with their count.")
        .category("flow")
        .side_effects(false)
        .flow(sdk::flow_kind::aggregate)
        .input_schema(R"({"type": "object"})")
        // No `required`: the engine injects `items` when the node runs, after settings
        // were validated.
        .settings_schema(R"({
            "type": "object",
            "properties": {
                "items": {"type": "array", "readOnly": true,
                          "description": "Set by the engine: the collected outputs of the iteration"}
            }
        })")
        .output_schema(R"({
            "type": "object",
            "properties": {"items": {"type": "array"}, "count": {"type": "integer", "minimum": 0}},
            "required": ["items", "count"]
        })")
        .sample_output(R"({"items": [{"sku": "A-1", "ok": true}, {"sku": "B-7", "ok": true}], "count": 2})")
        .run(run_aggregate);
}

} // namespace sr::plugins::router
