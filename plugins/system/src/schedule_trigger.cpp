#include "schedule_trigger.hpp"

namespace sr::plugins::system {

sdk::trigger schedule_trigger() {
    // The host fires it (host/src/triggers): the plugin has nothing to call. The settings are
    // checked again on publish by the cron parser, which knows what a schema cannot.
    return sdk::trigger("schedule", "Schedule", sdk::trigger_kind::schedule)
        .description("Starts the scenario on a cron schedule in a time zone.")
        .settings_schema(R"({"type": "object", "properties": {
            "cron": {"type": "string", "minLength": 1, "description": "5 fields (or 6 with seconds first), or @daily etc."},
            "timezone": {"type": "string", "default": "UTC", "description": "An IANA zone such as Europe/Berlin"},
            "catch_up": {"enum": ["skip", "run_once", "run_all"], "default": "skip",
                         "description": "What to do with slots missed while no host ran"}},
            "required": ["cron"]})")
        .output_schema(R"({"type": "object", "properties": {"scheduled_at": {"type": "string"},
            "fired_at": {"type": "string"}}, "required": ["scheduled_at", "fired_at"]})")
        .sample_output(R"({"scheduled_at": "2026-11-22T09:00:00Z", "fired_at": "2026-11-22T09:00:00.042Z"})");
}

} // namespace sr::plugins::system
