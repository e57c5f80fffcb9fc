#include "sr/core/engine/action_catalog.hpp"

#include <charconv>

#include <boost/json.hpp>

namespace sr::core::engine {

namespace json = boost::json;

namespace {

std::string string_field(const json::object& o, std::string_view key) {
    auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

json::value value_field(const json::object& o, std::string_view key, json::value fallback = json::object()) {
    auto* v = o.if_contains(key);
    return v ? *v : fallback;
}

bool bool_field(const json::object& o, std::string_view key) {
    auto* v = o.if_contains(key);
    return v && v->is_bool() && v->get_bool();
}

// Semver precedence on MAJOR.MINOR.PATCH only; enough to pick the newest of one major.
std::tuple<long, long, long> numeric_version(std::string_view v) {
    long parts[3] = {0, 0, 0};
    for (int i = 0; i < 3 && !v.empty(); ++i) {
        auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), parts[i]);
        if (ec != std::errc{}) break;
        v.remove_prefix(static_cast<std::size_t>(end - v.data()));
        if (v.empty() || v.front() != '.') break;
        v.remove_prefix(1);
    }
    return {parts[0], parts[1], parts[2]};
}

flow_kind parse_flow(std::string_view s) {
    if (s == "iterate") return flow_kind::iterate;
    if (s == "aggregate") return flow_kind::aggregate;
    if (s == "merge") return flow_kind::merge;
    if (s == "variables") return flow_kind::variables;
    if (s == "stop") return flow_kind::stop;
    return flow_kind::action;
}

action_info read_common(const json::object& o, const std::string& integration, const std::string& version,
                        uint32_t major) {
    action_info info;
    info.integration = integration;
    info.id = string_field(o, "id");
    info.plugin_version = version;
    info.plugin_major = major;
    info.deprecated = bool_field(o, "deprecated");
    info.connection_type = string_field(o, "connection");
    info.input_schema = value_field(o, "input_schema");
    info.settings_schema = value_field(o, "settings_schema");
    info.output_schema = value_field(o, "output_schema");
    info.sample_output = value_field(o, "sample_output", nullptr);
    return info;
}

action_info read_action(const json::object& o, const std::string& integration, const std::string& version,
                        uint32_t major) {
    action_info info = read_common(o, integration, version, major);
    info.side_effects = bool_field(o, "side_effects");
    info.flow = parse_flow(string_field(o, "flow"));
    if (auto* outs = o.if_contains("outputs"); outs && outs->is_array())
        for (const auto& h : outs->get_array())
            if (h.is_string()) info.outputs.emplace_back(h.get_string());
    if (auto* dyn = o.if_contains("dynamic_outputs"); dyn && dyn->is_object()) {
        const auto& d = dyn->get_object();
        dynamic_outputs_info info_out{string_field(d, "setting"), string_field(d, "key"), {}};
        if (auto* extra = d.if_contains("extra"); extra && extra->is_array())
            for (const auto& h : extra->get_array())
                if (h.is_string()) info_out.extra.emplace_back(h.get_string());
        info.dynamic_outputs = std::move(info_out);
    }
    if (auto* comp = o.if_contains("compensation"); comp && comp->is_object()) {
        const auto& c = comp->get_object();
        info.compensation = compensation_info{string_field(c, "action"), value_field(c, "input")};
    }
    return info;
}

action_info read_trigger(const json::object& o, const std::string& integration, const std::string& version,
                         uint32_t major) {
    action_info info = read_common(o, integration, version, major);
    info.is_trigger = true;
    info.trigger_kind = string_field(o, "kind");
    return info;
}

} // namespace

void action_catalog::add_manifest(const json::value& manifest) {
    if (!manifest.is_object()) return;
    const auto& m = manifest.get_object();
    const std::string integration = string_field(m, "id");
    const std::string version = string_field(m, "version");
    const auto numeric = numeric_version(version);
    const auto major = static_cast<uint32_t>(std::get<0>(numeric));
    auto key = std::make_pair(integration, major);
    if (auto it = plugins_.find(key); it != plugins_.end() && numeric_version(it->second.version) >= numeric) return;

    plugin_entry entry;
    entry.version = version;
    if (auto* actions = m.if_contains("actions"); actions && actions->is_array()) {
        for (const auto& a : actions->get_array()) {
            if (!a.is_object()) continue;
            action_info info = read_action(a.get_object(), integration, version, major);
            // Several versions of one action id: the highest wins for new nodes.
            entry.actions[info.id] = std::move(info);
        }
    }
    if (auto* triggers = m.if_contains("triggers"); triggers && triggers->is_array()) {
        for (const auto& t : triggers->get_array()) {
            if (!t.is_object()) continue;
            action_info info = read_trigger(t.get_object(), integration, version, major);
            entry.actions[info.id] = std::move(info);
        }
    }
    plugins_[key] = std::move(entry);
}

const action_info* action_catalog::find(std::string_view integration, std::string_view action,
                                        uint32_t plugin_major) const {
    auto it = plugins_.find(std::make_pair(std::string(integration), plugin_major));
    if (it == plugins_.end()) return nullptr;
    auto a = it->second.actions.find(action);
    return a == it->second.actions.end() ? nullptr : &a->second;
}

bool action_catalog::has_integration(std::string_view integration) const {
    for (const auto& [key, entry] : plugins_)
        if (key.first == integration) return true;
    return false;
}

bool action_catalog::has_major(std::string_view integration, uint32_t plugin_major) const {
    return plugins_.count(std::make_pair(std::string(integration), plugin_major)) > 0;
}

std::vector<uint32_t> action_catalog::majors(std::string_view integration) const {
    std::vector<uint32_t> out;
    for (const auto& [key, entry] : plugins_)
        if (key.first == integration) out.push_back(key.second);
    return out;
}

} // namespace sr::core::engine
