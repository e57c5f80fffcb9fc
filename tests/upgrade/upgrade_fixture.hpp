#pragma once
// Plugins loaded from a test-plugins folder the way scenariod loads them, and graph builders
// for the `mover` test integration (fixtures/mover_plugin.cpp).
#include <filesystem>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "plugins/plugin_loader.hpp"
#include "runtime/loaded_plugins.hpp"
#include "services/host_services.hpp"
#include "services/json_log.hpp"

namespace sr::test {

// build/test-plugins/upgrade (mover 1.2.0 and 2.0.0) or build/test-plugins/upgrade-v2 (2.0.0 only).
std::filesystem::path both_majors_dir();
std::filesystem::path new_major_only_dir();

class loaded_plugin_set {
public:
    explicit loaded_plugin_set(const std::filesystem::path& dir);
    const sr::host::loaded_plugins& plugins() const { return plugins_; }
    const sr::core::engine::action_catalog& catalog() const { return plugins_.catalog(); }

private:
    boost::asio::io_context ioc_;
    sr::host::json_log log_{SR_LOG_ERROR};
    sr::host::host_services services_{ioc_, log_, nullptr};
    sr::host::plugin_registry registry_;
    sr::host::loaded_plugins plugins_;
};

boost::json::object node(const std::string& id, const std::string& type, int major,
                         boost::json::value settings = boost::json::object());
boost::json::object edge(const std::string& from, const std::string& to);
// start (mover.start) -> each of `nodes`, in a chain.
boost::json::value chain(std::vector<boost::json::object> nodes, int trigger_major = 1);

// The node with `id` in a graph, or null.
const boost::json::object* find_node(const boost::json::value& graph, const std::string& id);

} // namespace sr::test
