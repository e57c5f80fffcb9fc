#include "sr/core/engine/error_codes.hpp"

#include <array>

namespace sr::core::engine {
namespace {

namespace ec = error_codes;
using src = error_source;

constexpr std::array taxonomy{
    error_code_info{ec::connection_invalid, src::connection, false,
                    "The credentials were refused or are missing (HTTP 401/403): fix the connection."},
    error_code_info{ec::connection_expired, src::connection, false,
                    "The credentials have expired (e.g. an OAuth token): reauthorise the connection."},
    error_code_info{ec::connection_rate_limited, src::connection, true,
                    "The service asked to slow down (HTTP 429); retry after its Retry-After."},
    error_code_info{ec::connection_failed, src::connection, true,
                    "The service could not be reached or the exchange broke (DNS, connect, TLS handshake, broken connection)."},
    error_code_info{ec::action_validation_failed, src::action, false,
                    "The action's settings or input are invalid, or the service rejected them (HTTP 400/422)."},
    error_code_info{ec::action_execution_failed, src::action, false,
                    "The action failed for another reason (e.g. HTTP 5xx, reported retryable); the code of a fatal result without one."},
    error_code_info{ec::action_timeout, src::action, true,
                    "The action did not finish within its node timeout (or its own request timeout)."},
    error_code_info{ec::not_found, src::action, false, "The object the action works on does not exist (HTTP 404)."},
    error_code_info{ec::scenario_timeout, src::engine, false,
                    "The whole run exceeded the scenario's timeout; running calls were cancelled."},
    error_code_info{ec::mapping_failed, src::engine, false,
                    "A {{expression}} in the node's settings could not be evaluated."},
    error_code_info{ec::circuit_open, src::engine, true,
                    "The circuit breaker of the node's integration and connection is open; retried after it."},
    error_code_info{ec::cancelled, src::engine, false, "The run was cancelled, or the host abandoned the call."},
    error_code_info{ec::plugin_unavailable, src::engine, false,
                    "No loaded plugin provides the node's integration at the version the scenario needs."},
    error_code_info{ec::invalid_iterate_output, src::engine, false,
                    "An iterate node's output has no \"items\" array."},
    error_code_info{ec::plugin_error, src::plugin, false,
                    "The plugin broke the call protocol (execute() failed or returned ok without completing)."},
    error_code_info{ec::plugin_bad_result, src::plugin, false,
                    "The plugin completed with a malformed result (unknown kind, bad strings or route)."},
    error_code_info{ec::plugin_bad_output, src::plugin, false, "The plugin's output is not valid JSON."},
    error_code_info{ec::plugin_exception, src::plugin, false,
                    "The plugin's handler threw; the SDK turned the exception into this result."},
    error_code_info{ec::plugin_dropped_call, src::plugin, false,
                    "The plugin released a call without completing it."},
    error_code_info{ec::internal, src::host, false, "The host failed while handling the call (e.g. out of memory)."},
    error_code_info{ec::system_error, src::host, false,
                    "A host service the action needs is missing or refused the work."},
    error_code_info{ec::system_overloaded, src::host, true, "The host or the service is overloaded; try later."},
    error_code_info{ec::system_maintenance, src::host, true, "The service is down for maintenance; try later."},
};

} // namespace

std::span<const error_code_info> error_taxonomy() noexcept { return taxonomy; }

const error_code_info* find_error_code(std::string_view code) noexcept {
    for (const auto& info : taxonomy)
        if (info.code == code) return &info;
    return nullptr;
}

std::string_view to_string(error_source source) noexcept {
    switch (source) {
    case error_source::connection: return "connection";
    case error_source::action: return "action";
    case error_source::engine: return "engine";
    case error_source::plugin: return "plugin";
    case error_source::host: return "host";
    }
    return "host";
}

} // namespace sr::core::engine
