#include "plugins/plugin_registry.hpp"

#include <optional>

#include "sr/core/manifest/semver.hpp"

namespace sr::host {

plugin_registry::~plugin_registry() {
    while (!loaded_.empty()) loaded_.pop_back();
}

const loaded_plugin* plugin_registry::find(std::string_view id, std::string_view version) const {
    const loaded_plugin* best = nullptr;
    std::optional<core::semver> best_version;
    for (const auto& p : loaded_) {
        if (p.instance->id() != id) continue;
        if (!version.empty()) {
            if (p.instance->version() == version) return &p;
            continue;
        }
        // Loaded manifests passed validation, so every version parses.
        auto v = core::semver::parse(p.instance->version());
        if (!best || (v && best_version && *v > *best_version)) {
            best = &p;
            best_version = v;
        }
    }
    return best;
}

std::vector<plugin_record> plugin_registry::records() const {
    std::vector<plugin_record> records;
    records.reserve(loaded_.size());
    for (const auto& p : loaded_) {
        records.push_back(plugin_record{p.instance->id(), p.instance->version(), p.instance->manifest_text(),
                                        p.sha256, p.file, p.instance->abi_major(), p.instance->abi_minor()});
    }
    return records;
}

} // namespace sr::host
