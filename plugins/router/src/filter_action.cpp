#include "filter_action.hpp"

namespace sr::plugins::router {

namespace {

sdk::result run_filter(sdk::action_context& ctx) {
    const auto* condition = ctx.settings().if_contains("condition");
    if (condition == nullptr) return sdk::result::invalid_settings("settings.condition is required");
    // A drop is a success that follows no edge: the nodes after it are skipped, not failed.
    if (sdk::truthy(*condition)) return sdk::result::success(boost::json::object{{"passed", true}});
    return sdk::result::filtered_out(boost::json::object{{"passed", false}});
}

} // namespace

sdk::action filter_action() {
    return sdk::action("filter", "Filter")
        .description("Lets the branch continue only when the condition is truthy; otherwise the nodes after it "
                     "are skipped. null, false, 0, \"\", [] and {} are false.")
        .category("flow")
        .side_effects(false)
        .input_schema(R"({"type": "object"})")
        .settings_schema(R"({
            "type": "object",
            "properties": {
                "condition": {"title": "Condition", "description": "Usually an expression such as {{trigger.body.total}}"}
            },
            "required": ["condition"]
        })")
        .output_schema(R"({
            "type": "object",
            "properties": {"passed": {"type": "boolean"}},
            "required": ["passed"]
        })")
        .sample_output(R"({"passed": true})")
        .run(run_filter);
}

} // namespace sr::plugins::router
