#include "upgrade_fixture.hpp"

#include "test_paths.hpp"

namespace sr::test {

namespace json = boost::json;

std::filesystem::path both_majors_dir() { return fixture_plugin_dir() / "upgrade"; }
std::filesystem::path new_major_only_dir() { return fixture_plugin_dir() / "upgrade-v2"; }

loaded_plugin_set::loaded_plugin_set(const std::filesystem::path& dir)
    : registry_(sr::host::load_plugins(dir, services_)), plugins_(registry_) {}

json::object node(const std::string& id, const std::string& type, int major, json::value settings) {
    return {{"id", id}, {"type", type}, {"version", major}, {"position", {{"x", 1}, {"y", 2}}},
            {"data", {{"label", id}, {"settings", std::move(settings)}, {"ui_color", "teal"}}}};
}

json::object edge(const std::string& from, const std::string& to) {
    return {{"id", from + "-" + to}, {"source", from}, {"target", to}};
}

json::value chain(std::vector<json::object> nodes, int trigger_major) {
    json::array all{node("start", "mover.start", trigger_major)};
    json::array edges;
    std::string previous = "start";
    for (auto& n : nodes) {
        std::string id(n.at("id").as_string());
        edges.push_back(edge(previous, id));
        previous = id;
        all.push_back(std::move(n));
    }
    return json::object{{"nodes", std::move(all)}, {"edges", std::move(edges)}, {"viewport", {{"zoom", 1.5}}}};
}

const json::object* find_node(const json::value& graph, const std::string& id) {
    for (const auto& n : graph.at("nodes").as_array())
        if (n.at("id").is_string() && n.at("id").get_string() == id) return &n.as_object();
    return nullptr;
}

} // namespace sr::test
