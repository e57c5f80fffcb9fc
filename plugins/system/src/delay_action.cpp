#include "delay_action.hpp"

#include "utc_time.hpp"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>

namespace sr::plugins::system {

namespace {

constexpr double max_seconds = 30.0 * 24 * 60 * 60; // 30 days

int64_t now_unix_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Unix milliseconds from a number (integral, >= 0) or an ISO 8601 text with a time zone.
std::optional<int64_t> until_ms(const boost::json::value& v) {
    if (v.is_string()) return parse_utc_timestamp_ms(v.get_string());
    if (v.is_int64()) return v.get_int64() >= 0 ? std::optional<int64_t>(v.get_int64()) : std::nullopt;
    if (v.is_uint64()) {
        if (v.get_uint64() > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
        return static_cast<int64_t>(v.get_uint64());
    }
    if (v.is_double()) {
        const double d = v.get_double();
        // 2^53: beyond it a double no longer names every millisecond.
        if (!(d >= 0 && d <= 9007199254740992.0) || std::trunc(d) != d) return std::nullopt;
        return static_cast<int64_t>(d);
    }
    return std::nullopt;
}

sdk::result run_delay(sdk::action_context& ctx) {
    const auto& settings = ctx.settings();
    const auto* seconds = settings.if_contains("seconds");
    const auto* until = settings.if_contains("until");
    if (seconds != nullptr && seconds->is_null()) seconds = nullptr;
    if (until != nullptr && until->is_null()) until = nullptr;
    if ((seconds == nullptr) == (until == nullptr)) {
        return sdk::result::invalid_settings("settings need exactly one of seconds and until");
    }
    int64_t resume_at = 0;
    if (seconds != nullptr) {
        const double s = seconds->is_number() ? seconds->to_number<double>() : -1;
        if (!(s >= 0 && s <= max_seconds)) return sdk::result::invalid_settings(
                "settings.seconds must be a number from 0 to 2592000 (30 days)");
        resume_at = now_unix_ms() + static_cast<int64_t>(std::llround(s * 1000));
    } else {
        const auto at = until_ms(*until);
        if (!at) {
            return sdk::result::invalid_settings("settings.until must be an ISO 8601 date-time with a time zone "
                           "(e.g. 2030-01-02T03:04:05Z) or Unix milliseconds");
        }
        resume_at = *at; // a time already passed resumes at once
    }
    return sdk::result::suspend_until(resume_at, boost::json::object{{"resume_at", resume_at}});
}

} // namespace

sdk::action delay_action() {
    return sdk::action("delay", "Delay")
        .description("Waits for a number of seconds (up to 30 days) or until a point in time, then continues. "
                     "No thread waits: the run is resumed by a timer, and survives a restart of the host.")
        .category("flow")
        .side_effects(false)
        .input_schema(R"({"type": "object"})")
        // "Exactly one of seconds and until" is checked when the node runs, not with oneOf:
        // either is usually an expression, which design-time validation cannot see through.
        .settings_schema(R"({
            "type": "object",
            "properties": {
                "seconds": {"type": "number", "minimum": 0, "maximum": 2592000, "title": "Seconds"},
                "until": {"type": ["string", "integer"], "minimum": 0, "title": "Until",
                          "description": "ISO 8601 date-time with a time zone, or Unix milliseconds"}
            }
        })")
        .output_schema(R"({
            "type": "object",
            "properties": {"resume_at": {"type": "integer", "description": "Unix milliseconds"}},
            "required": ["resume_at"]
        })")
        .sample_output(R"({"resume_at": 1893553445000})")
        .run(run_delay);
}

} // namespace sr::plugins::system
