#include "app/system_info.hpp"

#include <boost/json.hpp>
#include <scenario/sr_plugin.h>

namespace sr::host {

namespace json = boost::json;

const char* host_version() noexcept { return SR_VERSION; }

namespace {
json::array ids_of(const json::value& manifest, const char* key) {
    json::array out;
    if (!manifest.is_object()) return out;
    if (auto* list = manifest.get_object().if_contains(key); list && list->is_array())
        for (const auto& item : list->get_array())
            if (item.is_object())
                if (auto* id = item.get_object().if_contains("id")) out.push_back(*id);
    return out;
}
} // namespace

json::value describe_system(const plugin_registry& registry, const char* database) {
    json::array plugins;
    for (const auto& p : registry.loaded()) {
        plugins.push_back(json::object{
            {"id", p.instance->id()},
            {"version", p.instance->version()},
            {"abi", std::to_string(p.instance->abi_major()) + "." + std::to_string(p.instance->abi_minor())},
            {"file", p.file},
            {"sha256", p.sha256},
            {"actions", ids_of(p.manifest, "actions")},
            {"triggers", ids_of(p.manifest, "triggers")},
        });
    }
    json::array refused;
    for (const auto& r : registry.refused()) refused.push_back(json::object{{"file", r.file}, {"reason", r.reason}});
    return json::object{
        {"name", "scenariod"},
        {"version", host_version()},
        {"abi", json::object{{"major", SR_ABI_MAJOR}, {"minor", SR_ABI_MINOR}}},
        {"database", database},
        {"plugins", std::move(plugins)},
        {"refused_plugins", std::move(refused)},
    };
}

} // namespace sr::host
