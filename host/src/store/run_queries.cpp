#include "store/run_queries.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <pqxx/pqxx>

#include "store/detail/sql_text.hpp"
#include "store/run_cursor.hpp"

namespace sr::host {

namespace json = boost::json;
using detail::iso_sql;
using detail::is_uuid;

namespace {

constexpr std::array run_statuses{"pending", "queued",    "running",  "waiting",
                                  "succeeded", "failed", "cancelled", "incomplete"};

// The run as JSON, built by PostgreSQL so types (numbers, nulls, jsonb) come out right.
std::string run_json_sql(bool with_trigger_data) {
    return fmt::format(
        "jsonb_build_object('id', r.id, 'scenario_id', r.scenario_id, 'version_id', r.version_id,"
        " 'version_number', v.number, 'status', r.status, 'trigger_kind', r.trigger_kind,"
        " 'trigger_node_id', r.trigger_node_id, 'correlation_id', r.correlation_id,"
        " 'idempotency_key', r.idempotency_key, 'attempt', r.attempt, 'created_at', {}, 'available_at', {},"
        " 'started_at', {}, 'finished_at', {}, 'duration_ms', r.duration_ms, 'error_code', r.error_code,"
        " 'error_message', r.error_message, 'error_node_id', r.error_node_id{})::text",
        iso_sql("r.created_at"), iso_sql("r.available_at"), iso_sql("r.started_at"), iso_sql("r.finished_at"),
        with_trigger_data ? ", 'trigger_data', r.trigger_data" : "");
}

std::string require_time(const std::string& text, const char* what) {
    auto t = detail::normalize_timestamp(text);
    if (!t) throw store_error("invalid_input", fmt::format("'{}' is not an ISO 8601 time", what));
    return *t;
}

// The WHERE clause and its parameters ($1 is the organization).
struct run_where {
    std::string sql;
    std::vector<std::string> params;

    void add(const std::string& condition_format, std::string value) {
        params.push_back(std::move(value));
        sql += " AND " + fmt::format(fmt::runtime(condition_format), params.size());
    }
};

run_where where_of(std::string_view org_id, const run_filter& f) {
    run_where w{" WHERE s.organization_id = $1::uuid", {std::string(org_id)}};
    if (!f.scenario_id.empty()) {
        if (!is_uuid(f.scenario_id)) throw store_error("invalid_input", "'scenario_id' is not a uuid");
        w.add("r.scenario_id = ${}::uuid", f.scenario_id);
    }
    if (!f.status.empty()) {
        if (std::find(run_statuses.begin(), run_statuses.end(), f.status) == run_statuses.end())
            throw store_error("invalid_input", fmt::format("unknown run status '{}'", f.status));
        w.add("r.status = ${}", f.status);
    }
    if (!f.from.empty()) w.add("r.created_at >= ${}::timestamptz", require_time(f.from, "from"));
    if (!f.to.empty()) w.add("r.created_at < ${}::timestamptz", require_time(f.to, "to"));
    if (!f.cursor.empty()) {
        auto c = decode_run_cursor(f.cursor);
        if (!c) throw store_error("invalid_input", "malformed cursor");
        // A row comparison matches the (…, created_at, id) index order, so the page starts
        // with an index seek rather than a scan from the newest run.
        w.params.push_back(c->created_at);
        w.params.push_back(c->id);
        w.sql += fmt::format(" AND (r.created_at, r.id) < (${}::timestamptz, ${}::uuid)", w.params.size() - 1,
                             w.params.size());
    }
    return w;
}

// One extra row tells whether there is a next page.
std::string list_runs_sql(const run_where& where, int limit) {
    return fmt::format("SELECT {}, {}, r.id FROM runs r JOIN scenarios s ON s.id = r.scenario_id"
                       " JOIN scenario_versions v ON v.id = r.version_id{}"
                       " ORDER BY r.created_at DESC, r.id DESC LIMIT {}",
                       run_json_sql(false), detail::iso_us_sql("r.created_at"), where.sql, limit + 1);
}

} // namespace

run_page list_runs(pqxx::transaction_base& tx, std::string_view org_id, const run_filter& filter) {
    run_page page;
    auto where = where_of(org_id, filter); // bad filters are refused even for an unknown organization
    if (!is_uuid(org_id)) return page;
    int limit = std::clamp(filter.limit, 1, 500);
    auto r = tx.exec_params(list_runs_sql(where, limit), pqxx::prepare::make_dynamic_params(where.params));
    std::size_t shown = std::min<std::size_t>(r.size(), static_cast<std::size_t>(limit));
    for (std::size_t i = 0; i < shown; ++i) page.runs.push_back(detail::json_field(r[i][0]));
    if (r.size() > shown)
        page.next_cursor = encode_run_cursor({r[shown - 1][1].as<std::string>(), r[shown - 1][2].as<std::string>()});
    return page;
}

std::string explain_list_runs(pqxx::transaction_base& tx, std::string_view org_id, const run_filter& filter) {
    auto where = where_of(org_id, filter);
    if (!is_uuid(org_id)) throw store_error("not_found", "organization not found");
    auto r = tx.exec_params("EXPLAIN " + list_runs_sql(where, std::clamp(filter.limit, 1, 500)),
                            pqxx::prepare::make_dynamic_params(where.params));
    std::string plan;
    for (const auto& row : r) plan += row[0].as<std::string>() + "\n";
    return plan;
}

std::optional<json::object> find_run(pqxx::transaction_base& tx, std::string_view org_id, std::string_view run_id) {
    if (!is_uuid(org_id) || !is_uuid(run_id)) return std::nullopt;
    auto r = tx.exec_params(fmt::format("SELECT {} FROM runs r JOIN scenarios s ON s.id = r.scenario_id"
                                        " JOIN scenario_versions v ON v.id = r.version_id"
                                        " WHERE r.id = $1::uuid AND s.organization_id = $2::uuid",
                                        run_json_sql(true)),
                            std::string(run_id), std::string(org_id));
    if (r.empty()) return std::nullopt;
    json::object run = detail::json_field(r[0][0]).as_object();

    json::array nodes;
    auto node_rows = tx.exec_params(
        fmt::format("SELECT jsonb_build_object('id', n.id, 'node_id', n.node_id, 'plugin_id', n.plugin_id,"
                    " 'operation_id', n.operation_id, 'status', n.status, 'input', n.input, 'output', n.output,"
                    " 'error_code', n.error_code, 'error_message', n.error_message, 'attempt', n.attempt,"
                    " 'idempotency_key', n.idempotency_key, 'started_at', {}, 'finished_at', {},"
                    " 'duration_ms', n.duration_ms, 'created_at', {})::text"
                    " FROM node_runs n WHERE n.run_id = $1::uuid"
                    " ORDER BY coalesce(n.started_at, n.created_at), n.created_at, n.node_id, n.attempt",
                    iso_sql("n.started_at"), iso_sql("n.finished_at"), iso_sql("n.created_at")),
        std::string(run_id));
    for (const auto& row : node_rows) nodes.push_back(detail::json_field(row[0]));
    run["nodes"] = std::move(nodes);

    json::array logs;
    auto log_rows = tx.exec_params(
        fmt::format("SELECT jsonb_build_object('id', l.id, 'node_id', l.node_id, 'level', l.level,"
                    " 'message', l.message, 'data', l.data, 'correlation_id', l.correlation_id, 'at', {})::text"
                    " FROM run_logs l WHERE l.run_id = $1::uuid ORDER BY l.id",
                    iso_sql("l.at")),
        std::string(run_id));
    for (const auto& row : log_rows) logs.push_back(detail::json_field(row[0]));
    run["logs"] = std::move(logs);
    return run;
}

} // namespace sr::host
