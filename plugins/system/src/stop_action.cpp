#include "stop_action.hpp"

namespace sr::plugins::system {

namespace {

sdk::result run_stop(sdk::action_context& ctx) {
    const auto* output = ctx.settings().if_contains("output");
    return sdk::result::success(output != nullptr ? *output : boost::json::value(nullptr));
}

} // namespace

sdk::action stop_action() {
    return sdk::action("stop", "Stop with success")
        .description("Ends the run as succeeded, with an optional output; branches still running are cancelled.")
        .category("flow")
        .side_effects(false)
        .flow(sdk::flow_kind::stop)
        .input_schema(R"({"type": "object"})")
        .settings_schema(R"({
            "type": "object",
            "properties": {"output": {"title": "Output", "description": "Optional; any JSON"}}
        })")
        .output_schema(R"({})")
        .sample_output(R"({"reason": "nothing to do"})")
        .run(run_stop);
}

} // namespace sr::plugins::system
