#pragma once
// How a call ended. Plugin-side failures (execute() returned an error, a malformed result)
// become kind = SR_RESULT_FATAL_ERROR with a code such as "plugin_error".
#include <cstdint>
#include <string>

#include <scenario/sr_plugin.h>

namespace sr::core {

struct call_outcome {
    sr_result_kind kind = SR_RESULT_SUCCESS;
    std::string output_json;            // "null" when the plugin gave none
    std::string error_code, error_message;
    int64_t retry_after_ms = -1;
    int64_t resume_at_unix_ms = 0;
    // ABI 1.1: a JSON array of output handle ids to follow; empty when the plugin gave none
    // (then every success edge is followed), "[]" to follow none.
    std::string route_json;
};

} // namespace sr::core
