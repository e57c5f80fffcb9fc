#pragma once
// The result of loading a directory of plugins. Holds the libraries and instances alive.
#include <string_view>
#include <vector>

#include "db/seeder.hpp" // plugin_record
#include "plugins/loaded_plugin.hpp"

namespace sr::host {

class plugin_registry {
public:
    plugin_registry() = default;
    plugin_registry(plugin_registry&&) = default;
    plugin_registry& operator=(plugin_registry&&) = default;
    plugin_registry(const plugin_registry&) = delete;
    plugin_registry& operator=(const plugin_registry&) = delete;
    // Destroys instances (deinit) in reverse load order, each before its library is unloaded.
    ~plugin_registry();

    const std::vector<loaded_plugin>& loaded() const noexcept { return loaded_; }
    const std::vector<refused_plugin>& refused() const noexcept { return refused_; }

    // The plugin with this id: the exact version when one is given, else the highest semver.
    const loaded_plugin* find(std::string_view id, std::string_view version = {}) const;
    // What seeding needs, one record per loaded plugin.
    std::vector<plugin_record> records() const;

    void add(loaded_plugin plugin) { loaded_.push_back(std::move(plugin)); }
    void refuse(refused_plugin plugin) { refused_.push_back(std::move(plugin)); }

private:
    std::vector<loaded_plugin> loaded_;
    std::vector<refused_plugin> refused_;
};

} // namespace sr::host
