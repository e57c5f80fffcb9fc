#include "fail_action.hpp"

#include <string>
#include <string_view>

namespace sr::plugins::system {

namespace {

constexpr std::size_t max_message = 4096;

// Error codes are identifiers, like the taxonomy's (^[a-z][a-z0-9_]{0,63}$).
bool valid_code(std::string_view code) {
    if (code.empty() || code.size() > 64 || code[0] < 'a' || code[0] > 'z') return false;
    for (char c : code) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    return true;
}

sdk::result run_fail(sdk::action_context& ctx) {
    const auto& settings = ctx.settings();
    std::string code = "action_execution_failed";
    if (const auto* c = settings.if_contains("code"); c != nullptr && !c->is_null()) {
        if (!c->is_string() || !valid_code(c->get_string())) {
            return sdk::result::invalid_settings("settings.code must match ^[a-z][a-z0-9_]{0,63}$");
        }
        code = c->get_string();
    }
    const auto* message = settings.if_contains("message");
    if (message == nullptr || !message->is_string() || message->get_string().empty() ||
        message->get_string().size() > max_message) {
        return sdk::result::invalid_settings("settings.message must be a non-empty string of at most 4096 bytes");
    }
    bool retryable = false;
    if (const auto* r = settings.if_contains("retryable"); r != nullptr && !r->is_null()) {
        if (!r->is_bool()) return sdk::result::invalid_settings("settings.retryable must be a boolean");
        retryable = r->get_bool();
    }
    std::string text(message->get_string());
    return retryable ? sdk::result::retryable(std::move(code), std::move(text))
                     : sdk::result::fatal(std::move(code), std::move(text));
}

} // namespace

sdk::action fail_action() {
    return sdk::action("fail", "Fail with an error")
        .description("Fails the node with the given error code and message, fatal unless retryable. Its retry "
                     "policy, error edges and error directive then apply as to any failure.")
        .category("flow")
        .side_effects(false)
        .input_schema(R"({"type": "object"})")
        .settings_schema(R"({
            "type": "object",
            "properties": {
                "code": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,63}$", "default": "action_execution_failed"},
                "message": {"type": "string", "minLength": 1, "maxLength": 4096},
                "retryable": {"type": "boolean", "default": false}
            },
            "required": ["message"]
        })")
        .output_schema(R"({})")
        .sample_output(R"(null)")
        .run(run_fail);
}

} // namespace sr::plugins::system
