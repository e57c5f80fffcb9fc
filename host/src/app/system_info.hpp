#pragma once
// The body of GET /system/info: what this host is and which plugins it runs or refused.
#include <boost/json/value.hpp>

#include "plugins/plugin_registry.hpp"

namespace sr::host {

// `database` says where the data lives: "private" (the embedded cluster) or "external".
boost::json::value describe_system(const plugin_registry& registry, const char* database);

// The version of this build (the CMake project version).
const char* host_version() noexcept;

} // namespace sr::host
