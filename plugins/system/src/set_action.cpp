#include "set_action.hpp"

namespace sr::plugins::system {

namespace {

sdk::result run_set(sdk::action_context& ctx) {
    const auto* value = ctx.settings().if_contains("value");
    if (value == nullptr) return sdk::result::fatal("action_validation_failed", "settings.value is required");
    return sdk::result::success(*value);
}

} // namespace

sdk::action set_action() {
    return sdk::action("set", "Set a value")
        .description("Outputs a JSON value built from its settings, e.g. to shape data for later nodes.")
        .category("utility")
        .side_effects(false)
        .settings_schema(R"({
            "type": "object",
            "properties": {"value": {"title": "Value", "description": "Any JSON value; becomes the output"}},
            "required": ["value"]
        })")
        .sample_output(R"({"customer": {"id": 42, "email": "ada@example.com"}, "total": 99.5})")
        .run(run_set);
}

} // namespace sr::plugins::system
