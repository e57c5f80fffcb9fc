#include "iterate_action.hpp"

#include <cmath>
#include <cstdint>
#include <optional>

namespace sr::plugins::router {

namespace {

constexpr int64_t default_concurrency = 10;
constexpr int64_t max_concurrency = 1024; // the engine's own cap

// An integer in [1, max_concurrency]; a mapped value may arrive as 4.0.
std::optional<int64_t> concurrency_of(const boost::json::value& v) {
    int64_t n = 0;
    if (v.is_int64()) {
        n = v.get_int64();
    } else if (v.is_uint64()) {
        if (v.get_uint64() > static_cast<uint64_t>(max_concurrency)) return std::nullopt;
        n = static_cast<int64_t>(v.get_uint64());
    } else if (v.is_double()) {
        const double d = v.get_double();
        if (!(d >= 1 && d <= static_cast<double>(max_concurrency)) || std::trunc(d) != d) return std::nullopt;
        n = static_cast<int64_t>(d);
    } else {
        return std::nullopt;
    }
    if (n < 1 || n > max_concurrency) return std::nullopt;
    return n;
}

sdk::result run_iterate(sdk::action_context& ctx) {
    const auto& settings = ctx.settings();
    const auto* items = settings.if_contains("items");
    if (items == nullptr || !items->is_array()) return sdk::result::invalid_settings("settings.items must be an array");
    int64_t concurrency = default_concurrency;
    if (const auto* c = settings.if_contains("concurrency"); c != nullptr && !c->is_null()) {
        const auto n = concurrency_of(*c);
        if (!n) return sdk::result::invalid_settings("settings.concurrency must be an integer from 1 to 1024");
        concurrency = *n;
    }
    return sdk::result::success(boost::json::object{{"items", *items}, {"concurrency", concurrency}});
}

} // namespace

sdk::action iterate_action() {
    return sdk::action("iterate", "Iterate")
        .description("Runs the branch after it once per item of an array, at most `concurrency` items at a time. "
                     "Each run sees {{<this node>.output.item}}, .index and .total; an aggregate node collects them.")
        .category("flow")
        .side_effects(false)
        .flow(sdk::flow_kind::iterate)
        .input_schema(R"({"type": "object"})")
        .settings_schema(R"({
            "type": "object",
            "properties": {
                "items": {"type": "array", "title": "Items", "description": "Usually an expression such as {{trigger.body.lines}}"},
                "concurrency": {"type": "integer", "minimum": 1, "maximum": 1024, "default": 10,
                                "title": "Items at a time"}
            },
            "required": ["items"]
        })")
        .output_schema(R"({
            "type": "object",
            "properties": {"items": {"type": "array"}, "concurrency": {"type": "integer", "minimum": 1, "maximum": 1024}},
            "required": ["items", "concurrency"]
        })")
        .sample_output(R"({"items": [{"sku": "A-1", "qty": 2}, {"sku": "B-7", "qty": 1}], "concurrency": 10})")
        .run(run_iterate);
}

} // namespace sr::plugins::router
