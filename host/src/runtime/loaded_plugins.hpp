#pragma once
// The loaded plugins as the engine needs them: an action catalog built from their manifests
// and a directory that finds the instance for (integration, plugin major).
#include <memory>

#include "plugins/plugin_registry.hpp"
#include "sr/core/engine/action_catalog.hpp"
#include "sr/core/engine/plugin_directory.hpp"

namespace sr::host {

class loaded_plugins final : public core::engine::plugin_directory {
public:
    // `registry` must outlive this object.
    explicit loaded_plugins(const plugin_registry& registry);

    const core::engine::action_catalog& catalog() const { return catalog_; }
    std::shared_ptr<core::plugin_instance> find(std::string_view integration, uint32_t major) const override;

private:
    const plugin_registry& registry_;
    core::engine::action_catalog catalog_;
};

} // namespace sr::host
