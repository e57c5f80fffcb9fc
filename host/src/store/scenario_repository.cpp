#include "store/scenario_repository.hpp"

#include <algorithm>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <pqxx/pqxx>

#include "store/detail/sql_text.hpp"

namespace sr::host {

namespace json = boost::json;
using detail::is_uuid;

namespace {

const std::string& select_scenario_sql() {
    static const std::string sql = fmt::format(
        "SELECT s.id, s.organization_id, s.name, coalesce(s.description, ''), s.status, s.pause_policy,"
        " coalesce(s.current_version_id::text, ''), coalesce(v.number, 0), s.draft_graph::text, s.draft_revision,"
        " s.settings::text, {}, {}"
        " FROM scenarios s LEFT JOIN scenario_versions v ON v.id = s.current_version_id ",
        detail::iso_sql("s.created_at"), detail::iso_sql("s.updated_at"));
    return sql;
}

scenario_row read_scenario(const pqxx::row& r) {
    scenario_row row;
    row.id = r[0].as<std::string>();
    row.organization_id = r[1].as<std::string>();
    row.name = r[2].as<std::string>();
    row.description = r[3].as<std::string>();
    row.status = r[4].as<std::string>();
    row.pause_policy = r[5].as<std::string>();
    row.current_version_id = r[6].as<std::string>();
    row.current_version_number = r[7].as<int>();
    row.draft_graph = detail::json_field(r[8]);
    row.draft_revision = r[9].as<int64_t>();
    row.settings = detail::json_field(r[10]);
    row.created_at = r[11].as<std::string>();
    row.updated_at = r[12].as<std::string>();
    return row;
}

// Reads a row that this transaction has just written.
scenario_row must_find(pqxx::transaction_base& tx, std::string_view org_id, std::string_view scenario_id) {
    auto row = find_scenario(tx, org_id, scenario_id);
    if (!row) throw store_error("not_found", "scenario not found");
    return *row;
}

std::string require_name(const json::value& v) {
    if (!v.is_string() || v.get_string().empty())
        throw store_error("invalid_input", "'name' must be a non-empty string");
    return std::string(v.get_string());
}

} // namespace

scenario_row create_scenario(pqxx::transaction_base& tx, std::string_view org_id, std::string_view user_id,
                             std::string_view name, std::string_view description, json::value settings) {
    if (name.empty()) throw store_error("invalid_input", "'name' must be a non-empty string");
    if (settings.is_null()) settings = json::object();
    if (!settings.is_object()) throw store_error("invalid_input", "'settings' must be an object");
    if (!user_id.empty() && !is_uuid(user_id)) throw store_error("invalid_input", "user id is not a uuid");
    if (!is_uuid(org_id)) throw store_error("not_found", "organization not found");
    // A creator who does not exist (deleted meanwhile) is recorded as none rather than failing.
    auto r = tx.exec_params(
        "INSERT INTO scenarios (organization_id, created_by, name, description, settings)"
        " SELECT o.id, (SELECT u.id FROM users u WHERE u.id = NULLIF($2, '')::uuid), $3, NULLIF($4, ''), $5::jsonb"
        " FROM organizations o WHERE o.id = $1::uuid RETURNING id",
        std::string(org_id), std::string(user_id), std::string(name), std::string(description),
        json::serialize(settings));
    if (r.empty()) throw store_error("not_found", "organization not found");
    return must_find(tx, org_id, r[0][0].as<std::string>());
}

std::vector<scenario_row> list_scenarios(pqxx::transaction_base& tx, std::string_view org_id, int limit,
                                         std::string_view after_id) {
    std::vector<scenario_row> rows;
    if (!is_uuid(org_id)) return rows;
    limit = std::clamp(limit, 1, 500);
    pqxx::result r;
    if (after_id.empty()) {
        r = tx.exec_params(select_scenario_sql() +
                               "WHERE s.organization_id = $1::uuid ORDER BY s.created_at DESC, s.id DESC LIMIT $2",
                           std::string(org_id), limit);
    } else {
        if (!is_uuid(after_id)) throw store_error("invalid_input", "malformed cursor");
        auto anchor = tx.exec_params("SELECT 1 FROM scenarios WHERE id = $1::uuid AND organization_id = $2::uuid",
                                     std::string(after_id), std::string(org_id));
        if (anchor.empty()) throw store_error("invalid_input", "unknown cursor");
        r = tx.exec_params(select_scenario_sql() +
                               "WHERE s.organization_id = $1::uuid AND (s.created_at, s.id) <"
                               " (SELECT a.created_at, a.id FROM scenarios a WHERE a.id = $3::uuid)"
                               " ORDER BY s.created_at DESC, s.id DESC LIMIT $2",
                           std::string(org_id), limit, std::string(after_id));
    }
    rows.reserve(r.size());
    for (const auto& row : r) rows.push_back(read_scenario(row));
    return rows;
}

std::optional<scenario_row> find_scenario(pqxx::transaction_base& tx, std::string_view org_id,
                                          std::string_view scenario_id) {
    if (!is_uuid(org_id) || !is_uuid(scenario_id)) return std::nullopt;
    auto r = tx.exec_params(select_scenario_sql() + "WHERE s.id = $1::uuid AND s.organization_id = $2::uuid",
                            std::string(scenario_id), std::string(org_id));
    if (r.empty()) return std::nullopt;
    return read_scenario(r[0]);
}

scenario_row update_scenario(pqxx::transaction_base& tx, std::string_view org_id, std::string_view scenario_id,
                             const json::object& patch) {
    std::vector<std::string> params{std::string(scenario_id), std::string(org_id)};
    std::vector<std::string> sets;
    auto bind = [&](std::string column, std::string value, const char* cast = "") {
        params.push_back(std::move(value));
        sets.push_back(fmt::format("{} = ${}{}", column, params.size(), cast));
    };
    for (const auto& [key, value] : patch) {
        if (key == "name") {
            bind("name", require_name(value));
        } else if (key == "description") {
            if (value.is_null()) sets.push_back("description = NULL");
            else if (value.is_string()) bind("description", std::string(value.get_string()));
            else throw store_error("invalid_input", "'description' must be a string or null");
        } else if (key == "settings") {
            if (!value.is_object()) throw store_error("invalid_input", "'settings' must be an object");
            bind("settings", json::serialize(value), "::jsonb");
        } else if (key == "pause_policy") {
            if (!value.is_string() || (value.get_string() != "queue" && value.get_string() != "reject"))
                throw store_error("invalid_input", "'pause_policy' must be 'queue' or 'reject'");
            bind("pause_policy", std::string(value.get_string()));
        } else {
            throw store_error("invalid_input", fmt::format("'{}' cannot be changed here", std::string_view(key)));
        }
    }
    if (!find_scenario(tx, org_id, scenario_id)) throw store_error("not_found", "scenario not found");
    if (!sets.empty()) {
        std::string sql = "UPDATE scenarios SET ";
        for (std::size_t i = 0; i < sets.size(); ++i) sql += (i ? ", " : "") + sets[i];
        sql += " WHERE id = $1::uuid AND organization_id = $2::uuid";
        tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
    }
    return must_find(tx, org_id, scenario_id);
}

bool delete_scenario(pqxx::transaction_base& tx, std::string_view org_id, std::string_view scenario_id) {
    if (!is_uuid(org_id) || !is_uuid(scenario_id)) return false;
    auto r = tx.exec_params("DELETE FROM scenarios WHERE id = $1::uuid AND organization_id = $2::uuid RETURNING id",
                            std::string(scenario_id), std::string(org_id));
    return !r.empty();
}

int64_t save_draft(pqxx::transaction_base& tx, std::string_view org_id, std::string_view scenario_id,
                   const json::value& graph, int64_t expected_revision) {
    if (!graph.is_object()) throw store_error("invalid_input", "the draft graph must be a JSON object");
    if (!is_uuid(org_id) || !is_uuid(scenario_id)) throw store_error("not_found", "scenario not found");
    auto r = tx.exec_params(
        "UPDATE scenarios SET draft_graph = $3::jsonb, draft_revision = draft_revision + 1"
        " WHERE id = $1::uuid AND organization_id = $2::uuid AND ($4::bigint < 0 OR draft_revision = $4::bigint)"
        " RETURNING draft_revision",
        std::string(scenario_id), std::string(org_id), json::serialize(graph), expected_revision);
    if (!r.empty()) return r[0][0].as<int64_t>();
    auto current = find_scenario(tx, org_id, scenario_id);
    if (!current) throw store_error("not_found", "scenario not found");
    throw store_error("conflict",
                      fmt::format("the draft was changed meanwhile (revision {}, expected {})", current->draft_revision,
                                  expected_revision),
                      json::object{{"current_revision", current->draft_revision}});
}

} // namespace sr::host
