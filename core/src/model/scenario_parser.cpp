#include "sr/core/model/scenario.hpp"

#include <unordered_set>

#include <boost/json.hpp>
#include <fmt/format.h>

namespace sr::core {

namespace json = boost::json;

namespace {

// Collects problems while reading one JSON object, so every field is checked and reported.
class reader {
public:
    reader(std::vector<problem>& problems, std::string node_id, std::string edge_id, std::string base)
        : problems_(problems), node_id_(std::move(node_id)), edge_id_(std::move(edge_id)),
          base_(std::move(base)) {}

    void fail(const std::string& field, const std::string& code, std::string message) {
        problems_.push_back({code, node_id_, edge_id_, base_ + field, std::move(message)});
    }

    std::string required_string(const json::object& o, const char* field) {
        auto* v = o.if_contains(field);
        if (!v || !v->is_string() || v->get_string().empty()) {
            fail(field, "invalid_field", fmt::format("'{}' must be a non-empty string", field));
            return {};
        }
        return std::string(v->get_string());
    }

    std::string optional_string(const json::object& o, const char* field) {
        auto* v = o.if_contains(field);
        if (!v || v->is_null()) return {};
        if (!v->is_string()) {
            fail(field, "invalid_field", fmt::format("'{}' must be a string", field));
            return {};
        }
        return std::string(v->get_string());
    }

    double optional_number(const json::object& o, const char* field, double fallback) {
        auto* v = o.if_contains(field);
        if (!v || v->is_null()) return fallback;
        if (v->is_int64()) return static_cast<double>(v->get_int64());
        if (v->is_uint64()) return static_cast<double>(v->get_uint64());
        if (v->is_double()) return v->get_double();
        fail(field, "invalid_field", fmt::format("'{}' must be a number", field));
        return fallback;
    }

    int64_t optional_int(const json::object& o, const char* field, int64_t fallback, int64_t min, int64_t max) {
        double d = optional_number(o, field, static_cast<double>(fallback));
        if (d < static_cast<double>(min) || d > static_cast<double>(max) || d != static_cast<double>(static_cast<int64_t>(d))) {
            fail(field, "invalid_field", fmt::format("'{}' must be an integer from {} to {}", field, min, max));
            return fallback;
        }
        return static_cast<int64_t>(d);
    }

    bool optional_bool(const json::object& o, const char* field, bool fallback) {
        auto* v = o.if_contains(field);
        if (!v || v->is_null()) return fallback;
        if (!v->is_bool()) {
            fail(field, "invalid_field", fmt::format("'{}' must be true or false", field));
            return fallback;
        }
        return v->get_bool();
    }

    const json::object* optional_object(const json::object& o, const char* field) {
        auto* v = o.if_contains(field);
        if (!v || v->is_null()) return nullptr;
        if (!v->is_object()) {
            fail(field, "invalid_field", fmt::format("'{}' must be an object", field));
            return nullptr;
        }
        return &v->get_object();
    }

    reader nested(const std::string& field) const {
        return reader(problems_, node_id_, edge_id_, base_ + field + ".");
    }

private:
    std::vector<problem>& problems_;
    std::string node_id_;
    std::string edge_id_;
    std::string base_;
};

void read_retry(reader r, const json::object& o, retry_settings& retry) {
    retry.max_attempts = static_cast<uint32_t>(r.optional_int(o, "max_attempts", retry.max_attempts, 1, 100));
    retry.base_delay_ms = r.optional_int(o, "base_delay_ms", retry.base_delay_ms, 0, 86'400'000);
    retry.multiplier = r.optional_number(o, "multiplier", retry.multiplier);
    if (retry.multiplier < 1.0 || retry.multiplier > 100.0) {
        r.fail("multiplier", "invalid_field", "'multiplier' must be from 1 to 100");
        retry.multiplier = 2.0;
    }
    retry.max_delay_ms = r.optional_int(o, "max_delay_ms", retry.max_delay_ms, 0, 86'400'000);
    retry.jitter = r.optional_bool(o, "jitter", retry.jitter);
}

void read_on_error(reader r, const json::object& o, scenario_node& node) {
    std::string directive = r.optional_string(o, "directive");
    if (!directive.empty()) {
        if (auto d = parse_error_directive(directive)) {
            node.on_error = *d;
        } else {
            r.fail("directive", "invalid_field",
                   fmt::format("unknown error directive '{}' (ignore, resume, break, commit, rollback)", directive));
        }
    }
    if (auto* out = o.if_contains("output")) node.fallback_output = *out;
}

void split_type(reader& r, scenario_node& node) {
    auto dot = node.type.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == node.type.size()) {
        if (!node.type.empty())
            r.fail("type", "invalid_field",
                   fmt::format("type '{}' must be '<integration>.<action>'", node.type));
        return;
    }
    node.integration = node.type.substr(0, dot);
    node.action = node.type.substr(dot + 1);
}

uint32_t read_plugin_major(reader& r, const json::object& o) {
    auto* v = o.if_contains("version");
    if (!v || v->is_null()) return 1;
    if (v->is_int64() && v->get_int64() >= 1 && v->get_int64() <= 1'000'000) return static_cast<uint32_t>(v->get_int64());
    if (v->is_uint64() && v->get_uint64() >= 1 && v->get_uint64() <= 1'000'000) return static_cast<uint32_t>(v->get_uint64());
    if (v->is_string()) {
        // "2" or a semver "2.1.0": the major is what a node pins.
        std::string s(v->get_string());
        auto end = s.find('.');
        std::string major = s.substr(0, end);
        if (!major.empty() && major.size() <= 6 && major.find_first_not_of("0123456789") == std::string::npos && std::stoul(major) >= 1)
            return static_cast<uint32_t>(std::stoul(major));
    }
    r.fail("version", "invalid_field", "'version' must be the plugin major version (an integer >= 1)");
    return 1;
}

std::optional<scenario_node> read_node(const json::value& v, std::size_t index, std::vector<problem>& problems) {
    std::string base = fmt::format("nodes[{}].", index);
    if (!v.is_object()) {
        problems.push_back({"invalid_node", {}, {}, base.substr(0, base.size() - 1), "a node must be an object"});
        return std::nullopt;
    }
    const auto& o = v.get_object();
    scenario_node node;
    {
        reader id_reader(problems, {}, {}, base);
        node.id = id_reader.required_string(o, "id");
    }
    reader r(problems, node.id, {}, base);
    node.type = r.required_string(o, "type");
    split_type(r, node);
    node.plugin_major = read_plugin_major(r, o);
    if (auto* pos = r.optional_object(o, "position")) {
        reader p = r.nested("position");
        node.position.x = p.optional_number(*pos, "x", 0);
        node.position.y = p.optional_number(*pos, "y", 0);
    }
    node.settings = json::object();
    if (auto* data = r.optional_object(o, "data")) {
        reader d = r.nested("data");
        node.label = d.optional_string(*data, "label");
        node.connection_id = d.optional_string(*data, "connection_id");
        node.timeout_ms = d.optional_int(*data, "timeout_ms", 0, 0, 86'400'000);
        if (auto* settings = d.optional_object(*data, "settings")) node.settings = *settings;
        if (auto* retry = d.optional_object(*data, "retry")) read_retry(d.nested("retry"), *retry, node.retry);
        if (auto* on_error = d.optional_object(*data, "on_error")) read_on_error(d.nested("on_error"), *on_error, node);
    }
    node.raw = v;
    return node;
}

std::optional<scenario_edge> read_edge(const json::value& v, std::size_t index, std::vector<problem>& problems) {
    std::string base = fmt::format("edges[{}].", index);
    if (!v.is_object()) {
        problems.push_back({"invalid_edge", {}, {}, base.substr(0, base.size() - 1), "an edge must be an object"});
        return std::nullopt;
    }
    const auto& o = v.get_object();
    scenario_edge edge;
    {
        reader id_reader(problems, {}, {}, base);
        edge.id = id_reader.required_string(o, "id");
    }
    reader r(problems, {}, edge.id, base);
    edge.source = r.required_string(o, "source");
    edge.target = r.required_string(o, "target");
    edge.source_handle = r.optional_string(o, "sourceHandle");
    edge.target_handle = r.optional_string(o, "targetHandle");
    edge.label = r.optional_string(o, "label");
    std::string kind = r.optional_string(o, "kind");
    if (kind.empty() || kind == "success") {
        edge.kind = edge_kind::success;
    } else if (kind == "error") {
        edge.kind = edge_kind::error;
    } else {
        r.fail("kind", "invalid_field", fmt::format("edge kind '{}' must be 'success' or 'error'", kind));
    }
    edge.raw = v;
    return edge;
}

void read_settings(const json::object& o, scenario_settings& settings, std::vector<problem>& problems) {
    reader r(problems, {}, {}, "settings.");
    settings.timeout_ms = r.optional_int(o, "timeout_ms", settings.timeout_ms, 0, 7 * 86'400'000LL);
    settings.node_timeout_ms = r.optional_int(o, "node_timeout_ms", settings.node_timeout_ms, 1, 86'400'000);
    settings.max_parallel = static_cast<uint32_t>(r.optional_int(o, "max_parallel", settings.max_parallel, 1, 1024));
}

template <class T>
void report_duplicates(const std::vector<T>& items, const char* what, std::vector<problem>& problems) {
    std::unordered_set<std::string_view> seen;
    for (const auto& item : items) {
        if (item.id.empty() || seen.insert(item.id).second) continue;
        problem p{fmt::format("duplicate_{}_id", what), {}, {}, {}, fmt::format("{} id '{}' is used more than once", what, item.id)};
        (std::string_view(what) == "node" ? p.node_id : p.edge_id) = item.id;
        problems.push_back(std::move(p));
    }
}

} // namespace

const scenario_node* scenario_definition::find_node(std::string_view id) const {
    for (const auto& n : nodes)
        if (n.id == id) return &n;
    return nullptr;
}

parse_result parse_scenario(const json::value& value) {
    parse_result result;
    auto& problems = result.problems;
    if (!value.is_object()) {
        problems.push_back({"invalid_scenario", {}, {}, "", "a scenario must be a JSON object with 'nodes' and 'edges'"});
        return result;
    }
    const auto& o = value.get_object();
    scenario_definition def;

    auto* nodes = o.if_contains("nodes");
    if (!nodes || !nodes->is_array()) {
        problems.push_back({"invalid_field", {}, {}, "nodes", "'nodes' must be an array"});
    } else {
        const auto& arr = nodes->get_array();
        for (std::size_t i = 0; i < arr.size(); ++i)
            if (auto n = read_node(arr[i], i, problems)) def.nodes.push_back(std::move(*n));
    }
    auto* edges = o.if_contains("edges");
    if (edges && !edges->is_null()) {
        if (!edges->is_array()) {
            problems.push_back({"invalid_field", {}, {}, "edges", "'edges' must be an array"});
        } else {
            const auto& arr = edges->get_array();
            for (std::size_t i = 0; i < arr.size(); ++i)
                if (auto e = read_edge(arr[i], i, problems)) def.edges.push_back(std::move(*e));
        }
    }
    if (auto* s = o.if_contains("settings"); s && !s->is_null()) {
        if (s->is_object()) read_settings(s->get_object(), def.settings, problems);
        else problems.push_back({"invalid_field", {}, {}, "settings", "'settings' must be an object"});
    }
    if (auto* vp = o.if_contains("viewport")) def.viewport = *vp;

    report_duplicates(def.nodes, "node", problems);
    report_duplicates(def.edges, "edge", problems);
    if (problems.empty()) result.definition = std::move(def);
    return result;
}

json::value to_json(const scenario_definition& def) {
    json::object out;
    json::array nodes;
    for (const auto& n : def.nodes) nodes.push_back(n.raw);
    json::array edges;
    for (const auto& e : def.edges) edges.push_back(e.raw);
    out["nodes"] = std::move(nodes);
    out["edges"] = std::move(edges);
    out["settings"] = json::object{{"timeout_ms", def.settings.timeout_ms},
                                   {"node_timeout_ms", def.settings.node_timeout_ms},
                                   {"max_parallel", def.settings.max_parallel}};
    if (!def.viewport.is_null()) out["viewport"] = def.viewport;
    return out;
}

const char* to_string(error_directive d) {
    switch (d) {
    case error_directive::none: return "none";
    case error_directive::ignore: return "ignore";
    case error_directive::resume: return "resume";
    case error_directive::break_: return "break";
    case error_directive::commit: return "commit";
    case error_directive::rollback: return "rollback";
    }
    return "none";
}

std::optional<error_directive> parse_error_directive(std::string_view text) {
    if (text == "none") return error_directive::none;
    if (text == "ignore") return error_directive::ignore;
    if (text == "resume") return error_directive::resume;
    if (text == "break") return error_directive::break_;
    if (text == "commit") return error_directive::commit;
    if (text == "rollback") return error_directive::rollback;
    return std::nullopt;
}

} // namespace sr::core
