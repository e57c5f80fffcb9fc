#pragma once
// Stable snake_case names for sr_status values, for messages and error codes.
#include <string_view>

#include <scenario/sr_plugin.h>

namespace sr::core {

// "ok", "pending", "unknown_target", ...; "unknown_status" for a value the ABI does not define.
std::string_view status_name(sr_status status) noexcept;

} // namespace sr::core
