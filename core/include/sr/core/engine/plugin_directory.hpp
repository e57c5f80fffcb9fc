#pragma once
// Where the executor finds the plugin instance for a node: by integration id and the plugin
// major version the node pins. The host implements it over its loaded plugins.
#include <cstdint>
#include <memory>
#include <string_view>

#include "sr/core/plugin/plugin_instance.hpp"

namespace sr::core::engine {

class plugin_directory {
public:
    virtual ~plugin_directory() = default;
    // The newest loaded plugin of that integration and major, or null.
    virtual std::shared_ptr<plugin_instance> find(std::string_view integration, uint32_t major) const = 0;
};

} // namespace sr::core::engine
