#include "runtime/loaded_plugins.hpp"

#include "sr/core/manifest/semver.hpp"

namespace sr::host {

loaded_plugins::loaded_plugins(const plugin_registry& registry) : registry_(registry) {
    for (const auto& p : registry.loaded()) catalog_.add_manifest(p.manifest);
}

std::shared_ptr<core::plugin_instance> loaded_plugins::find(std::string_view integration, uint32_t major) const {
    std::shared_ptr<core::plugin_instance> best;
    std::optional<core::semver> best_version;
    for (const auto& p : registry_.loaded()) {
        if (p.instance->id() != integration) continue;
        auto v = core::semver::parse(p.instance->version());
        if (!v || v->major() != major) continue;
        if (!best_version || *best_version < *v) {
            best = p.instance;
            best_version = v;
        }
    }
    return best;
}

} // namespace sr::host
