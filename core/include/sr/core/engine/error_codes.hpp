#pragma once
// The error taxonomy: the stable codes a node or run error carries (node_result::error_code,
// sr_result.error_code, run_report.error["code"]). Plugins, the plugin runtime and the engine
// all use these; docs/errors.md describes them, and a test keeps code, table and document in
// step. A code never changes meaning; new ones are appended.
//
// "Retryable" is the default a plugin should pick for a failure of that kind. What the engine
// does is decided by the result kind the plugin actually reports (retryable or fatal), so a
// plugin may report connection_failed as fatal when it knows a retry cannot help.
#include <span>
#include <string_view>

namespace sr::core::engine {

namespace error_codes {
// The connection (credentials) of a node.
inline constexpr std::string_view connection_invalid = "connection_invalid";
inline constexpr std::string_view connection_expired = "connection_expired";
inline constexpr std::string_view connection_rate_limited = "connection_rate_limited";
inline constexpr std::string_view connection_failed = "connection_failed";
// What an action did.
inline constexpr std::string_view action_validation_failed = "action_validation_failed";
inline constexpr std::string_view action_execution_failed = "action_execution_failed";
inline constexpr std::string_view action_timeout = "action_timeout";
inline constexpr std::string_view not_found = "not_found";
// The engine.
inline constexpr std::string_view scenario_timeout = "scenario_timeout";
inline constexpr std::string_view mapping_failed = "mapping_failed";
inline constexpr std::string_view circuit_open = "circuit_open";
inline constexpr std::string_view cancelled = "cancelled";
inline constexpr std::string_view plugin_unavailable = "plugin_unavailable";
inline constexpr std::string_view invalid_iterate_output = "invalid_iterate_output";
// A plugin that broke the ABI contract (the plugin runtime reports these).
inline constexpr std::string_view plugin_error = "plugin_error";
inline constexpr std::string_view plugin_bad_result = "plugin_bad_result";
inline constexpr std::string_view plugin_bad_output = "plugin_bad_output";
inline constexpr std::string_view plugin_exception = "plugin_exception";
inline constexpr std::string_view plugin_dropped_call = "plugin_dropped_call";
// The host.
inline constexpr std::string_view internal = "internal";
inline constexpr std::string_view system_error = "system_error";
inline constexpr std::string_view system_overloaded = "system_overloaded";
inline constexpr std::string_view system_maintenance = "system_maintenance";
} // namespace error_codes

enum class error_source { connection, action, engine, plugin, host };

struct error_code_info {
    std::string_view code;
    error_source source;
    bool retryable; // the default a plugin should report for it
    std::string_view meaning; // one line
};

// Every code, in the order docs/errors.md lists them.
std::span<const error_code_info> error_taxonomy() noexcept;

// The entry for `code`, or null when it is not in the taxonomy.
const error_code_info* find_error_code(std::string_view code) noexcept;

// "connection", "action", "engine", "plugin", "host".
std::string_view to_string(error_source source) noexcept;

} // namespace sr::core::engine
