#include "if_action.hpp"

namespace sr::plugins::router {

namespace {

sdk::result run_if(sdk::action_context& ctx) {
    const auto* condition = ctx.settings().if_contains("condition");
    if (condition == nullptr) return sdk::result::invalid_settings("settings.condition is required");
    const bool result = sdk::truthy(*condition);
    return sdk::result::routed(boost::json::object{{"result", result}}, {result ? "true" : "false"});
}

} // namespace

sdk::action if_action() {
    return sdk::action("if", "If / else")
        .description("Follows the \"true\" output when the condition is truthy, else the \"false\" output. "
                     "null, false, 0, \"\", [] and {} are false; everything else is true.")
        .category("flow")
        .side_effects(false)
        .outputs({"true", "false"})
        .input_schema(R"({"type": "object"})")
        .settings_schema(R"({
            "type": "object",
            "properties": {
                "condition": {"title": "Condition", "description": "Usually an expression such as {{trigger.body.paid}}"}
            },
            "required": ["condition"]
        })")
        .output_schema(R"({
            "type": "object",
            "properties": {"result": {"type": "boolean"}},
            "required": ["result"]
        })")
        .sample_output(R"({"result": true})")
        .run(run_if);
}

} // namespace sr::plugins::router
