#include "store/version_repository.hpp"

#include <set>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <pqxx/pqxx>

#include "sr/core/model/scenario.hpp"
#include "store/detail/sql_text.hpp"
#include "store/problem_json.hpp"

namespace sr::host {

namespace json = boost::json;
using detail::is_uuid;

namespace {

const std::string& select_version_sql() {
    static const std::string sql = fmt::format(
        "SELECT id, scenario_id, number, coalesce(label, ''), coalesce(change_summary, ''), {},"
        " coalesce(published_by::text, ''), definition::text FROM scenario_versions ",
        detail::iso_sql("published_at"));
    return sql;
}

version_row read_version(const pqxx::row& r) {
    version_row v;
    v.id = r[0].as<std::string>();
    v.scenario_id = r[1].as<std::string>();
    v.number = r[2].as<int>();
    v.label = r[3].as<std::string>();
    v.change_summary = r[4].as<std::string>();
    v.published_at = r[5].as<std::string>();
    v.published_by = r[6].as<std::string>();
    v.definition = detail::json_field(r[7]);
    return v;
}

// Locks the scenario row for the rest of the transaction (publish and rollback serialise on
// it) and returns its draft graph.
json::value lock_scenario(pqxx::transaction_base& tx, std::string_view org_id, std::string_view scenario_id) {
    if (!is_uuid(org_id) || !is_uuid(scenario_id)) throw store_error("not_found", "scenario not found");
    auto r = tx.exec_params(
        "SELECT draft_graph::text FROM scenarios WHERE id = $1::uuid AND organization_id = $2::uuid FOR UPDATE",
        std::string(scenario_id), std::string(org_id));
    if (r.empty()) throw store_error("not_found", "scenario not found");
    return detail::json_field(r[0][0]);
}

[[noreturn]] void refuse(json::array problems) {
    throw store_error("validation_failed",
                      fmt::format("the draft has {} problem{}", problems.size(), problems.size() == 1 ? "" : "s"),
                      std::move(problems));
}

// The parsed definition, or validation_failed with every structural problem. Edges must name
// nodes of the graph (the version's foreign keys require it) even when the caller's validator
// does not check that.
core::scenario_definition parse_draft(const json::value& graph) {
    auto parsed = core::parse_scenario(graph);
    if (!parsed.problems.empty()) refuse(problems_to_json(parsed.problems));
    std::set<std::string> ids;
    for (const auto& n : parsed.definition->nodes) ids.insert(n.id);
    std::vector<core::problem> problems;
    for (const auto& e : parsed.definition->edges) {
        if (!ids.count(e.source) || !ids.count(e.target))
            problems.push_back({"unknown_node", {}, e.id, {}, "the edge names a node that is not in the graph"});
        else if (e.source == e.target)
            problems.push_back({"self_loop", {}, e.id, {}, "an edge cannot connect a node to itself"});
    }
    if (!problems.empty()) refuse(problems_to_json(problems));
    return std::move(*parsed.definition);
}

// data.connection_id, else data.settings.connection_id, when it is a uuid; null otherwise.
json::value connection_of(const core::scenario_node& node) {
    std::string id = node.connection_id;
    if (id.empty() && node.settings.is_object())
        if (auto* v = node.settings.get_object().if_contains("connection_id"); v && v->is_string())
            id = std::string(v->get_string());
    return is_uuid(id) ? json::value(id) : json::value(nullptr);
}

json::value or_null(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }

// UI-only fields of a node or edge kept beside the row (React Flow sizes and styling).
json::object ui_of(const json::value& raw) {
    json::object ui;
    if (!raw.is_object()) return ui;
    for (const char* key : {"width", "height", "style", "className", "animated", "hidden"})
        if (auto* v = raw.get_object().if_contains(key)) ui[key] = *v;
    return ui;
}

void insert_nodes(pqxx::transaction_base& tx, std::string_view org_id, const std::string& version_id,
                  std::string_view scenario_id, const core::scenario_definition& def) {
    if (def.nodes.empty()) return;
    json::array rows;
    for (const auto& n : def.nodes)
        rows.push_back(json::object{{"node_id", n.id},
                                    {"type", n.type},
                                    {"plugin_id", n.integration},
                                    {"operation_id", n.action},
                                    {"plugin_major", n.plugin_major},
                                    {"connection_id", connection_of(n)},
                                    {"label", or_null(n.label)},
                                    {"settings", n.settings.is_object() ? n.settings : json::object()},
                                    {"position_x", n.position.x},
                                    {"position_y", n.position.y},
                                    {"ui", ui_of(n.raw)}});
    // A connection id is kept only when it names a connection of the same organization.
    tx.exec_params(
        "INSERT INTO scenario_nodes (version_id, scenario_id, node_id, type, plugin_id, operation_id, plugin_major,"
        " connection_id, label, settings, position_x, position_y, ui)"
        " SELECT $1::uuid, $2::uuid, x.node_id, x.type, x.plugin_id, x.operation_id, x.plugin_major,"
        " (SELECT c.id FROM connections c WHERE c.id = x.connection_id AND c.organization_id = $3::uuid),"
        " x.label, x.settings, x.position_x, x.position_y, x.ui"
        " FROM jsonb_to_recordset($4::jsonb) AS x(node_id text, type text, plugin_id text, operation_id text,"
        " plugin_major integer, connection_id uuid, label text, settings jsonb, position_x float8, position_y float8,"
        " ui jsonb)",
        version_id, std::string(scenario_id), std::string(org_id), json::serialize(rows));
}

void insert_edges(pqxx::transaction_base& tx, const std::string& version_id, std::string_view scenario_id,
                  const core::scenario_definition& def) {
    if (def.edges.empty()) return;
    json::array rows;
    for (const auto& e : def.edges)
        rows.push_back(json::object{{"edge_id", e.id},
                                    {"source_node_id", e.source},
                                    {"target_node_id", e.target},
                                    {"source_handle", or_null(e.source_handle)},
                                    {"target_handle", or_null(e.target_handle)},
                                    {"label", or_null(e.label)},
                                    {"kind", e.kind == core::edge_kind::error ? "error" : "success"},
                                    {"ui", ui_of(e.raw)}});
    tx.exec_params(
        "INSERT INTO scenario_edges (version_id, scenario_id, edge_id, source_node_id, target_node_id, source_handle,"
        " target_handle, label, kind, ui)"
        " SELECT $1::uuid, $2::uuid, x.edge_id, x.source_node_id, x.target_node_id, x.source_handle,"
        " x.target_handle, x.label, x.kind, x.ui"
        " FROM jsonb_to_recordset($3::jsonb) AS x(edge_id text, source_node_id text, target_node_id text,"
        " source_handle text, target_handle text, label text, kind text, ui jsonb)",
        version_id, std::string(scenario_id), json::serialize(rows));
}

} // namespace

version_row publish_scenario(pqxx::transaction_base& tx, std::string_view org_id, std::string_view scenario_id,
                             std::string_view user_id, std::string_view change_summary,
                             const graph_validator& validate) {
    if (!user_id.empty() && !is_uuid(user_id)) throw store_error("invalid_input", "user id is not a uuid");
    json::value graph = lock_scenario(tx, org_id, scenario_id);
    if (validate) {
        auto problems = validate(graph);
        if (!problems.empty()) refuse(std::move(problems));
    }
    auto def = parse_draft(graph);

    int number = tx.exec_params1("SELECT coalesce(max(number), 0) + 1 FROM scenario_versions WHERE scenario_id = $1::uuid",
                                 std::string(scenario_id))[0]
                     .as<int>();
    // The definition is the draft exactly as stored under the lock, not a re-serialisation.
    auto version_id = tx.exec_params1(
                            "INSERT INTO scenario_versions (scenario_id, number, definition, published_by, change_summary)"
                            " SELECT s.id, $2, s.draft_graph,"
                            " (SELECT u.id FROM users u WHERE u.id = NULLIF($3, '')::uuid), NULLIF($4, '')"
                            " FROM scenarios s WHERE s.id = $1::uuid RETURNING id",
                            std::string(scenario_id), number, std::string(user_id), std::string(change_summary))[0]
                          .as<std::string>();
    insert_nodes(tx, org_id, version_id, scenario_id, def);
    insert_edges(tx, version_id, scenario_id, def);
    tx.exec_params("UPDATE scenarios SET current_version_id = $2::uuid, status = 'active' WHERE id = $1::uuid",
                   std::string(scenario_id), version_id);
    auto row = find_version(tx, scenario_id, version_id);
    if (!row) throw store_error("not_found", "version not found");
    return *row;
}

std::vector<version_row> list_versions(pqxx::transaction_base& tx, std::string_view org_id,
                                       std::string_view scenario_id) {
    if (!is_uuid(org_id) || !is_uuid(scenario_id) ||
        tx.exec_params("SELECT 1 FROM scenarios WHERE id = $1::uuid AND organization_id = $2::uuid",
                       std::string(scenario_id), std::string(org_id))
            .empty())
        throw store_error("not_found", "scenario not found");
    auto r = tx.exec_params(select_version_sql() + "WHERE scenario_id = $1::uuid ORDER BY number DESC",
                            std::string(scenario_id));
    std::vector<version_row> rows;
    rows.reserve(r.size());
    for (const auto& row : r) rows.push_back(read_version(row));
    return rows;
}

std::optional<version_row> find_version(pqxx::transaction_base& tx, std::string_view scenario_id,
                                        std::string_view version_id) {
    if (!is_uuid(scenario_id) || !is_uuid(version_id)) return std::nullopt;
    auto r = tx.exec_params(select_version_sql() + "WHERE id = $1::uuid AND scenario_id = $2::uuid",
                            std::string(version_id), std::string(scenario_id));
    if (r.empty()) return std::nullopt;
    return read_version(r[0]);
}

version_row rollback_scenario(pqxx::transaction_base& tx, std::string_view org_id, std::string_view scenario_id,
                              int number) {
    lock_scenario(tx, org_id, scenario_id);
    auto r = tx.exec_params(select_version_sql() + "WHERE scenario_id = $1::uuid AND number = $2",
                            std::string(scenario_id), number);
    if (r.empty()) throw store_error("not_found", fmt::format("version {} not found", number));
    auto version = read_version(r[0]);
    tx.exec_params("UPDATE scenarios SET current_version_id = $2::uuid WHERE id = $1::uuid", std::string(scenario_id),
                   version.id);
    return version;
}

} // namespace sr::host
