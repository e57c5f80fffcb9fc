#include "merge_action.hpp"

#include <string>

namespace sr::plugins::router {

namespace {

sdk::result run_merge(sdk::action_context& ctx) {
    std::string mode = "all";
    if (const auto* m = ctx.settings().if_contains("mode"); m != nullptr && !m->is_null()) {
        if (!m->is_string() || (m->get_string() != "all" && m->get_string() != "any")) {
            return sdk::result::invalid_settings("settings.mode must be \"all\" or \"any\"");
        }
        mode = m->get_string();
    }
    return sdk::result::success(boost::json::object{{"mode", mode}});
}

} // namespace

sdk::action merge_action() {
    return sdk::action("merge", "Merge")
        .description("Joins branches: with mode \"all\" it runs once every incoming branch has finished (taken or "
                     "skipped), with \"any\" as soon as the first one arrives. Read each branch's data through "
                     "its nodes' outputs.")
        .category("flow")
        .side_effects(false)
        .flow(sdk::flow_kind::merge)
        .input_schema(R"({"type": "object"})")
        .settings_schema(R"({
            "type": "object",
            "properties": {
                "mode": {"type": "string", "enum": ["all", "any"], "default": "all", "title": "Wait for"}
            }
        })")
        .output_schema(R"({
            "type": "object",
            "properties": {"mode": {"type": "string", "enum": ["all", "any"]}},
            "required": ["mode"]
        })")
        .sample_output(R"({"mode": "all"})")
        .run(run_merge);
}

} // namespace sr::plugins::router
