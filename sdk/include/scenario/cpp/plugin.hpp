#pragma once
// The plugin entry generated from an integration factory:
//
//   sr::sdk::integration make_integration() { ... }
//   SR_PLUGIN(make_integration)
//
// expands to the one exported function, sr_plugin_entry_v1(), returning a static entry
// table whose functions are the SDK's noexcept trampolines. plugin_entry<&factory>() gives
// the same table without exporting anything (tests, several integrations in one binary).
#include <scenario/cpp/detail/plugin_runtime.hpp>
#include <scenario/cpp/integration.hpp>

namespace sr::sdk {

using integration_factory = integration (*)();

namespace detail {

template <integration_factory Factory>
struct entry_table {
    static sr_status init(const sr_host* host, void** out_instance) noexcept {
        return plugin_runtime::init(host, Factory, out_instance);
    }
    static constexpr sr_plugin_entry value{
        sizeof(sr_plugin_entry), SR_ABI_MAJOR,
        SR_ABI_MINOR,            &init,
        &plugin_runtime::deinit, &plugin_runtime::manifest,
        &plugin_runtime::execute, &plugin_runtime::cancel,
    };
};

} // namespace detail

template <integration_factory Factory>
const sr_plugin_entry* plugin_entry() noexcept {
    return &detail::entry_table<Factory>::value;
}

} // namespace sr::sdk

// Defines the plugin's exported entry from `factory`, a function `sr::sdk::integration()`.
// Use once per plugin, at namespace scope outside any namespace.
#define SR_PLUGIN(factory) SR_DEFINE_PLUGIN_ENTRY(::sr::sdk::plugin_entry<&factory>())
