#include "log_action.hpp"

#include <optional>
#include <string_view>

namespace sr::plugins::system {

namespace {

std::optional<sdk::log_level> parse_level(std::string_view name) {
    if (name == "debug") return sdk::log_level::debug;
    if (name == "info") return sdk::log_level::info;
    if (name == "warn") return sdk::log_level::warn;
    if (name == "error") return sdk::log_level::error;
    return std::nullopt;
}

sdk::result run_log(sdk::action_context& ctx) {
    const auto* message = ctx.settings().if_contains("message");
    if (message == nullptr || !message->is_string()) {
        return sdk::result::fatal("action_validation_failed", "settings.message must be a string");
    }
    std::optional<sdk::log_level> level = sdk::log_level::info;
    if (const auto* name = ctx.settings().if_contains("level"); name != nullptr && !name->is_null()) {
        level = name->is_string() ? parse_level(name->get_string()) : std::nullopt;
        if (!level) {
            return sdk::result::fatal("action_validation_failed", "settings.level must be one of debug, info, warn, error");
        }
    }
    ctx.log(*level, message->get_string());
    return sdk::result::success({{"logged", true}, {"message", message->get_string()}});
}

} // namespace

sdk::action log_action() {
    return sdk::action("log", "Log a message")
        .description("Writes a message to the run's log at the chosen level.")
        .category("utility")
        .side_effects(false)
        .settings_schema(R"({
            "type": "object",
            "properties": {
                "message": {"type": "string", "title": "Message"},
                "level": {"type": "string", "enum": ["debug", "info", "warn", "error"], "default": "info"}
            },
            "required": ["message"]
        })")
        .output_schema(R"({
            "type": "object",
            "properties": {"logged": {"type": "boolean"}, "message": {"type": "string"}},
            "required": ["logged", "message"]
        })")
        .sample_output(R"({"logged": true, "message": "Order 1042 received"})")
        .run(run_log);
}

} // namespace sr::plugins::system
