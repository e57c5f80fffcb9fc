#include "plugins/plugin_loader.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include <boost/dll/shared_library.hpp>
#include <fmt/format.h>

#include "plugins/file_sha256.hpp"
#include "sr/core/manifest/manifest_validator.hpp"

namespace sr::host {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> plugin_files(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw std::runtime_error(fmt::format("plugin directory {} does not exist", dir.string()));
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code type_ec;
        if (it->path().extension() == ".so" && it->is_regular_file(type_ec)) files.push_back(it->path());
    }
    if (ec) throw std::runtime_error(fmt::format("cannot list plugin directory {}: {}", dir.string(), ec.message()));
    std::sort(files.begin(), files.end());
    return files;
}

std::shared_ptr<boost::dll::shared_library> open_library(const fs::path& file) {
    namespace mode = boost::dll::load_mode;
    // RTLD_LOCAL: two versions of one plugin export the same symbol name and must not see each
    // other's. RTLD_NOW: an unresolved symbol refuses the plugin now, not in the middle of a run.
    boost::dll::fs::error_code ec;
    auto library = std::make_shared<boost::dll::shared_library>(file, mode::rtld_local | mode::rtld_now, ec);
    if (ec) throw core::plugin_refused(file.string(), "cannot load: " + ec.message());
    return library;
}

const loaded_plugin* same_version(const plugin_registry& registry, const core::plugin_instance& instance) {
    for (const auto& p : registry.loaded())
        if (p.instance->id() == instance.id() && p.instance->version() == instance.version()) return &p;
    return nullptr;
}

loaded_plugin load_one(const fs::path& file, core::service_provider& services, const plugin_registry& registry) {
    const auto name = file.string();
    auto library = open_library(file);
    if (!library->has(SR_ENTRY_SYMBOL))
        throw core::plugin_refused(name, "no " SR_ENTRY_SYMBOL " symbol (not a Scenario Runtime plugin, or built "
                                         "for another ABI major)");
    auto entry_fn = library->get<const sr_plugin_entry*()>(SR_ENTRY_SYMBOL);

    loaded_plugin plugin;
    plugin.file = name;
    try {
        plugin.sha256 = file_sha256(file);
    } catch (const std::exception& e) {
        throw core::plugin_refused(name, e.what());
    }
    plugin.instance = core::plugin_instance::create(entry_fn(), name, services, library);
    plugin.library = std::move(library);

    auto problems = core::manifest_validator().validate(plugin.instance->manifest());
    if (!problems.empty()) throw core::plugin_refused(name, "invalid manifest: " + core::to_string(problems));
    if (const auto* first = same_version(registry, *plugin.instance))
        throw core::plugin_refused(name, fmt::format("duplicate of {} ({} {})", first->file, plugin.instance->id(),
                                                     plugin.instance->version()));
    plugin.manifest = plugin.instance->manifest();
    return plugin;
}

} // namespace

plugin_registry load_plugins(const fs::path& dir, core::service_provider& services) {
    plugin_registry registry;
    for (const auto& file : plugin_files(dir)) {
        std::string reason;
        try {
            registry.add(load_one(file, services, registry));
            continue;
        } catch (const core::plugin_refused& e) {
            reason = e.what();
        } catch (const std::exception& e) {
            // Anything else one plugin causes (out of memory, a Boost.DLL error) refuses that
            // plugin only.
            reason = fmt::format("{}: {}", file.string(), e.what());
        }
        services.log(file.filename().string(), nullptr, SR_LOG_ERROR, "plugin refused: " + reason);
        registry.refuse(refused_plugin{file.string(), std::move(reason)});
    }
    return registry;
}

} // namespace sr::host
