#include "set_variables_action.hpp"

#include <string_view>

namespace sr::plugins::system {

namespace {

// ^[A-Za-z_][A-Za-z0-9_]{0,63}$: a name that {{vars.name}} can spell.
bool valid_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
    }
    return true;
}

sdk::result run_set_variables(sdk::action_context& ctx) {
    const auto* variables = ctx.settings().if_contains("variables");
    if (variables == nullptr || !variables->is_object()) {
        return sdk::result::fatal("action_validation_failed", "settings.variables must be an object of name: value");
    }
    for (const auto& entry : variables->get_object()) {
        if (!valid_name(entry.key())) {
            return sdk::result::fatal("action_validation_failed",
                                      "variable name \"" + std::string(entry.key()) +
                                          "\" must match ^[A-Za-z_][A-Za-z0-9_]{0,63}$");
        }
    }
    return sdk::result::success(*variables);
}

} // namespace

sdk::action set_variables_action() {
    return sdk::action("set_variables", "Set variables")
        .description("Sets run variables that later nodes read as {{vars.name}}; inside an iteration they belong "
                     "to that item's run.")
        .category("flow")
        .side_effects(false)
        .flow(sdk::flow_kind::variables)
        .input_schema(R"({"type": "object"})")
        .settings_schema(R"({
            "type": "object",
            "properties": {
                "variables": {"type": "object", "title": "Variables",
                              "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]{0,63}$"}}
            },
            "required": ["variables"]
        })")
        .output_schema(R"({"type": "object"})")
        .sample_output(R"({"customer_id": 42, "tier": "gold"})")
        .run(run_set_variables);
}

} // namespace sr::plugins::system
