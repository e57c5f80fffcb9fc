#include "validation_pass.hpp"

#include <algorithm>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "sr/core/mapping/compiled_template.hpp"
#include "settings_checker.hpp"
#include "upstream_index.hpp"

namespace sr::core::validation {

namespace json = boost::json;
using engine::action_info;

namespace {

// Template paths are relative to the settings ("body.tags[2]"); problems name them from the node.
std::string settings_path(const std::string& inner) {
    if (inner.empty()) return "settings";
    return inner.front() == '[' ? "settings" + inner : "settings." + inner;
}

std::string join_majors(const std::vector<uint32_t>& majors) {
    std::string out;
    for (uint32_t m : majors) {
        if (!out.empty()) out += ", ";
        out += std::to_string(m);
    }
    return out;
}

} // namespace

validation_pass::validation_pass(const scenario_definition& def, const engine::action_catalog& catalog,
                                 const validation_options& options, settings_checker& settings,
                                 validation_result& result)
    : def_(def), catalog_(catalog), options_(options), settings_(settings), result_(result) {}

void validation_pass::run() {
    index_nodes();
    check_types();
    check_edges();
    const digraph graph(static_cast<uint32_t>(def_.nodes.size()), graph_edges_);
    const component_set components = strongly_connected(graph);
    check_cycles(graph, components);
    check_reachability(graph);
    check_settings();
    check_expressions();
    check_upstream(graph, components);
}

void validation_pass::add(std::string code, uint32_t node, std::string path, std::string message, std::string edge_id) {
    result_.problems.push_back({std::move(code), def_.nodes[node].id, std::move(edge_id), std::move(path), std::move(message)});
}

int64_t validation_pass::find(std::string_view node_id) const {
    auto it = index_.find(node_id);
    return it == index_.end() ? int64_t{-1} : static_cast<int64_t>(it->second);
}

bool validation_pass::is_trigger(uint32_t node) const { return info_[node] && info_[node]->is_trigger; }

bool validation_pass::is_scope_root(std::string_view root) const {
    return std::find(options_.scope_roots.begin(), options_.scope_roots.end(), root) != options_.scope_roots.end();
}

void validation_pass::index_nodes() {
    const auto n = static_cast<uint32_t>(def_.nodes.size());
    index_.reserve(n);
    info_.resize(n);
    has_expressions_.resize(n);
    for (uint32_t i = 0; i < n; ++i) {
        const auto& node = def_.nodes[i];
        index_.emplace(node.id, i);
        info_[i] = catalog_.find(node.integration, node.action, node.plugin_major);
        has_expressions_[i] = holds_expression(node.settings);
        if (is_trigger(i)) triggers_.push_back(i);
    }
}

// compile_plan says only "unknown action"; here the three cases are told apart.
void validation_pass::check_types() {
    for (uint32_t i = 0; i < def_.nodes.size(); ++i) {
        const auto& node = def_.nodes[i];
        if (const action_info* info = info_[i]) {
            if (info->deprecated)
                result_.warnings.push_back({"deprecated_action", node.id, {}, "type",
                                            fmt::format("'{}' (plugin major {}) is deprecated", node.type, node.plugin_major)});
            if (options_.require_connections && !info->connection_type.empty() && node.connection_id.empty())
                add("missing_connection", i, "data.connection_id",
                    fmt::format("'{}' needs a connection of type '{}'; choose one in data.connection_id", node.type,
                                info->connection_type));
        } else if (!catalog_.has_integration(node.integration)) {
            add("unknown_integration", i, "type",
                fmt::format("no integration '{}' is installed (node type '{}')", node.integration, node.type));
        } else if (!catalog_.has_major(node.integration, node.plugin_major)) {
            add("unknown_version", i, "version",
                fmt::format("integration '{}' has no plugin major {}; available: {}", node.integration, node.plugin_major,
                            join_majors(catalog_.majors(node.integration))));
        } else {
            add("unknown_action", i, "type",
                fmt::format("integration '{}' (plugin major {}) has no action or trigger '{}'", node.integration,
                            node.plugin_major, node.action));
        }
    }
}

// Edges to missing nodes and into the trigger are compile_plan's to report; the others form
// the graph every later check walks.
void validation_pass::check_edges() {
    graph_edges_.reserve(def_.edges.size());
    for (const auto& edge : def_.edges) {
        const int64_t s = find(edge.source);
        const int64_t t = find(edge.target);
        if (s < 0 || t < 0 || is_trigger(static_cast<uint32_t>(t))) continue;
        graph_edges_.emplace_back(static_cast<uint32_t>(s), static_cast<uint32_t>(t));
        check_handle(edge, static_cast<uint32_t>(s));
    }
}

namespace {
bool is_expression(const boost::json::value& v) {
    return v.is_string() && v.get_string().find("{{") != boost::json::string::npos;
}
} // namespace

// A handle named by the node's settings (router.switch cases). Settings built by expressions
// are only known at run time, so any handle is accepted there.
bool validation_pass::dynamic_handle_allowed(const engine::dynamic_outputs_info& dyn, const boost::json::value& settings,
                                             const std::string& handle) {
    if (std::find(dyn.extra.begin(), dyn.extra.end(), handle) != dyn.extra.end()) return true;
    const auto* list = settings.is_object() ? settings.get_object().if_contains(dyn.setting) : nullptr;
    if (!list || is_expression(*list)) return list != nullptr;
    if (!list->is_array()) return false;
    for (const auto& item : list->get_array()) {
        const auto* name = item.is_object() ? item.get_object().if_contains(dyn.key) : nullptr;
        if (!name || is_expression(*name)) return true;
        if (name->is_string() && name->get_string() == handle) return true;
    }
    return false;
}

// Router branches are handles: an edge must leave by one its source declares, or by the
// default output when it declares none. Error edges leave by no handle or "error".
void validation_pass::check_handle(const scenario_edge& edge, uint32_t source) {
    const action_info* info = info_[source];
    if (!info) return;
    const std::string& handle = edge.source_handle;
    std::string expected;
    if (edge.kind == edge_kind::error) {
        if (handle.empty() || handle == "error") return;
        expected = "an error edge takes no handle or 'error'";
    } else if (info->dynamic_outputs) {
        if (dynamic_handle_allowed(*info->dynamic_outputs, def_.nodes[source].settings, handle)) return;
        expected = fmt::format("'{}' takes its handles from settings.{}[].{}", def_.nodes[source].type,
                               info->dynamic_outputs->setting, info->dynamic_outputs->key);
    } else if (info->outputs.empty()) {
        if (handle.empty()) return;
        expected = fmt::format("'{}' has only its default output (no handle)", def_.nodes[source].type);
    } else {
        if (std::find(info->outputs.begin(), info->outputs.end(), handle) != info->outputs.end()) return;
        expected = fmt::format("'{}' declares the outputs {}", def_.nodes[source].type, fmt::join(info->outputs, ", "));
    }
    add("unknown_handle", source, "sourceHandle",
        fmt::format("edge '{}' leaves '{}' by handle '{}'; {}", edge.id, edge.source, handle, expected), edge.id);
}

// One problem per loop (strongly connected component): its shortest cycle through its first
// node, and every node caught in it when there are more.
void validation_pass::check_cycles(const digraph& graph, const component_set& components) {
    constexpr std::size_t max_listed = 20;
    for (uint32_t c : components.cyclic) {
        const auto& members = components.components[c];
        const auto path = shortest_cycle(graph, components, members.front());
        std::string text;
        for (uint32_t n : path) {
            if (!text.empty()) text += " -> ";
            text += id(n);
        }
        std::string message = fmt::format("cycle: {}", text);
        if (members.size() + 1 > path.size()) {
            std::vector<std::string_view> names;
            for (std::size_t k = 0; k < members.size() && k < max_listed; ++k) names.push_back(id(members[k]));
            message += fmt::format("; {} nodes are caught in this loop: {}{}", members.size(), fmt::join(names, ", "),
                                   members.size() > max_listed ? ", ..." : "");
        }
        add("cycle", members.front(), {}, std::move(message));
    }
}

// Without exactly one trigger compile_plan reports that, and "unreachable" means nothing.
void validation_pass::check_reachability(const digraph& graph) {
    if (triggers_.size() != 1) return;
    const uint32_t trigger = triggers_.front();
    const auto reached = reachable_from(graph, trigger);
    for (uint32_t i = 0; i < def_.nodes.size(); ++i)
        if (!reached[i])
            add("unreachable_node", i, {}, fmt::format("node '{}' cannot be reached from the trigger '{}'", id(i), id(trigger)));
}

void validation_pass::check_settings() {
    std::vector<settings_job> jobs;
    jobs.reserve(def_.nodes.size());
    for (uint32_t i = 0; i < def_.nodes.size(); ++i)
        if (info_[i]) jobs.push_back({&def_.nodes[i], info_[i], has_expressions_[i]});
    settings_.check(jobs, result_.problems);
}

void validation_pass::check_expressions() {
    for (uint32_t i = 0; i < def_.nodes.size(); ++i) {
        if (!has_expressions_[i]) continue;
        auto compiled = mapping::try_compile_template(def_.nodes[i].settings);
        for (const auto& error : compiled.errors)
            add("invalid_expression", i, settings_path(error.path()),
                fmt::format("{{{{{}}}}}: {}", error.expression(), error.message()));
        if (compiled.compiled) {
            for (auto& ref : compiled.compiled->references()) check_reference(i, std::move(ref));
        } else {
            check_references_per_string(i);
        }
    }
}

// A template with a faulty expression does not compile; its other strings still say what
// they read, so they are compiled one by one to report every problem at once.
void validation_pass::check_references_per_string(uint32_t node) {
    std::vector<std::pair<const json::value*, std::string>> stack{{&def_.nodes[node].settings, std::string()}};
    while (!stack.empty()) {
        auto [value, path] = std::move(stack.back());
        stack.pop_back();
        if (value->is_object()) {
            const auto& object = value->get_object();
            for (auto it = object.rbegin(); it != object.rend(); ++it)
                stack.emplace_back(&it->value(), path.empty() ? std::string(it->key()) : path + "." + std::string(it->key()));
        } else if (value->is_array()) {
            const auto& array = value->get_array();
            for (std::size_t k = array.size(); k-- > 0;) stack.emplace_back(&array[k], fmt::format("{}[{}]", path, k));
        } else if (holds_expression(*value)) {
            auto compiled = mapping::try_compile_template(*value);
            if (!compiled.compiled) continue;
            for (auto& ref : compiled.compiled->references()) {
                ref.path = path;
                check_reference(node, std::move(ref));
            }
        }
    }
}

void validation_pass::check_reference(uint32_t node, mapping::reference ref) {
    if (is_scope_root(ref.root)) return;
    const int64_t root = find(ref.root);
    if (root < 0) {
        add("unknown_reference", node, settings_path(ref.path),
            fmt::format("{{{{{}}}}} reads '{}', which is not a node of this scenario", ref.expression, ref.root));
        return;
    }
    node_references_.push_back({node, static_cast<uint32_t>(root), std::move(ref)});
}

void validation_pass::check_upstream(const digraph& graph, const component_set& components) {
    if (node_references_.empty()) return;
    std::vector<uint32_t> roots;
    roots.reserve(node_references_.size());
    for (const auto& r : node_references_) roots.push_back(r.root);
    const upstream_index upstream(graph, components, roots);
    for (const auto& r : node_references_) {
        if (upstream.is_upstream(r.root, r.reader)) continue;
        const std::string why =
            r.root == r.reader ? "the node itself" : fmt::format("no path leads from '{}' to '{}'", id(r.root), id(r.reader));
        add("reference_not_upstream", r.reader, settings_path(r.ref.path),
            fmt::format("{{{{{}}}}} reads '{}', which does not run before '{}' ({})", r.ref.expression, r.ref.root,
                        id(r.reader), why));
    }
}

} // namespace sr::core::validation
