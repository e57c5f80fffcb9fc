#include "transform_action.hpp"

namespace sr::plugins::system {

namespace {

sdk::result run_transform(sdk::action_context& ctx) {
    const auto* output = ctx.settings().if_contains("output");
    if (output == nullptr) return sdk::result::fatal("action_validation_failed", "settings.output is required");
    return sdk::result::success(*output);
}

} // namespace

sdk::action transform_action() {
    return sdk::action("transform", "Transform JSON")
        .description("Builds a new JSON value from earlier nodes' data with expressions and functions, e.g. "
                     "{\"name\": \"{{upper(trigger.body.name)}}\", \"lines\": \"{{length(trigger.body.items)}}\"}.")
        .category("utility")
        .side_effects(false)
        .input_schema(R"({"type": "object"})")
        .settings_schema(R"({
            "type": "object",
            "properties": {"output": {"title": "Output", "description": "Any JSON; expressions are evaluated first"}},
            "required": ["output"]
        })")
        .output_schema(R"({})")
        .sample_output(R"({"name": "ADA LOVELACE", "lines": 3})")
        .run(run_transform);
}

} // namespace sr::plugins::system
