#include "switch_action.hpp"

#include "json_equal.hpp"

#include <set>
#include <string>

namespace sr::plugins::router {

namespace {

constexpr const char* default_handle = "default";
constexpr std::size_t max_cases = 256; // also settings_schema's maxItems

// A case handle is an edge's sourceHandle: short, plain, and never the fixed "default".
bool valid_handle(std::string_view h) {
    if (h.empty() || h.size() > 64 || h == default_handle) return false;
    for (char c : h) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!plain) return false;
    }
    return true;
}

sdk::result run_switch(sdk::action_context& ctx) {
    const auto& settings = ctx.settings();
    const auto* value = settings.if_contains("value");
    if (value == nullptr) return sdk::result::invalid_settings("settings.value is required");
    const auto* cases = settings.if_contains("cases");
    if (cases == nullptr || !cases->is_array()) return sdk::result::invalid_settings("settings.cases must be an array");
    if (cases->get_array().size() > max_cases) {
        return sdk::result::invalid_settings("settings.cases holds more than " + std::to_string(max_cases) + " cases");
    }

    // Every case is checked, not only those before the match: a bad case is a bad scenario
    // whichever value arrives.
    std::set<std::string> seen;
    const std::string* matched = nullptr;
    const auto& list = cases->get_array();
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string where = "settings.cases[" + std::to_string(i) + "]";
        const auto* c = list[i].if_object();
        if (c == nullptr) return sdk::result::invalid_settings(where + " must be an object");
        const auto* handle = c->if_contains("handle");
        if (handle == nullptr || !handle->is_string() || !valid_handle(handle->get_string())) {
            return sdk::result::invalid_settings(
                    where + ".handle must be 1-64 characters of [A-Za-z0-9_-] and not \"default\"");
        }
        const auto* equals = c->if_contains("equals");
        if (equals == nullptr) return sdk::result::invalid_settings(where + ".equals is required");
        const auto [it, fresh] = seen.emplace(handle->get_string());
        if (!fresh) return sdk::result::invalid_settings(where + ".handle \"" + *it + "\" is used by an earlier case");
        if (matched == nullptr && json_equal(*value, *equals)) matched = &*it;
    }
    const std::string handle = matched != nullptr ? *matched : std::string(default_handle);
    return sdk::result::routed(boost::json::object{{"handle", handle}, {"value", *value}}, {handle});
}

} // namespace

sdk::action switch_action() {
    return sdk::action("switch", "Switch")
        .description("Compares a value with each case in order and follows the output of the first case "
                     "that equals it (numbers compare by value), else the \"default\" output.")
        .category("flow")
        .side_effects(false)
        .dynamic_outputs("cases", "handle", {default_handle})
        .input_schema(R"({"type": "object"})")
        .settings_schema(R"({
            "type": "object",
            "properties": {
                "value": {"title": "Value", "description": "Usually an expression such as {{trigger.body.status}}"},
                "cases": {
                    "type": "array",
                    "title": "Cases",
                    "maxItems": 256,
                    "items": {
                        "type": "object",
                        "properties": {
                            "handle": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$", "not": {"enum": ["default"]},
                                       "description": "The output this case follows"},
                            "equals": {"description": "The value that selects this case"}
                        },
                        "required": ["handle", "equals"]
                    }
                }
            },
            "required": ["value", "cases"]
        })")
        .output_schema(R"({
            "type": "object",
            "properties": {"handle": {"type": "string"}, "value": {}},
            "required": ["handle", "value"]
        })")
        .sample_output(R"({"handle": "paid", "value": "paid"})")
        .run(run_switch);
}

} // namespace sr::plugins::router
