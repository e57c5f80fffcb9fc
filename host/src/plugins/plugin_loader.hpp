#pragma once
// Loads every plugin in a directory: Boost.DLL, the ABI handshake, init, manifest validation.
#include <filesystem>

#include "plugins/plugin_registry.hpp"
#include "sr/core/plugin/service_provider.hpp"

namespace sr::host {

// Loads each `*.so` directly in `dir`, in file-name order. A plugin that fails any step is
// recorded in refused() with a reason naming its file (and logged through `services`); it
// never stops the others. Same id and version twice: the first file wins. Same id with
// different versions: all load, side by side. Throws std::runtime_error when `dir` is not a
// readable directory. `services` must outlive the registry.
plugin_registry load_plugins(const std::filesystem::path& dir, core::service_provider& services);

} // namespace sr::host
