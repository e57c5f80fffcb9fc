// The metrics summary of the caller's organization over a time range, like the product's
// getPerformanceMetrics: runs by status, success rate, average and p95 duration, the five
// slowest actions and the failures by error code.
#include <regex>
#include <string>

#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "api/api_call.hpp"
#include "api/api_error.hpp"
#include "api/api_routes.hpp"
#include "api/request_json.hpp"
#include "runtime/uuid_text.hpp"

namespace sr::host {
namespace {

namespace json = boost::json;

// The runs in range, scoped to the organization: $1 org, $2 from, $3 to, $4 scenario ("" = all).
constexpr const char* runs_in_range =
    "WITH r AS (SELECT r.id, r.status, r.duration_ms, r.error_code FROM runs r "
    "JOIN scenarios s ON s.id = r.scenario_id "
    "WHERE s.organization_id = $1::uuid AND r.created_at >= $2::timestamptz AND r.created_at < $3::timestamptz "
    "AND ($4 = '' OR r.scenario_id = nullif($4, '')::uuid)) ";

std::string time_query(const http_request& request, std::string_view name, const char* fallback) {
    static const std::regex iso(R"(^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$)");
    auto value = query_param(request, name);
    if (!value) return fallback;
    if (!std::regex_match(*value, iso)) throw invalid_field(std::string(name), "an ISO 8601 time");
    return *value;
}

json::value number_or_null(const pqxx::field& f) {
    if (f.is_null()) return nullptr;
    return f.as<double>();
}

json::object summarize(pqxx::transaction_base& tx, const std::string& org, const std::string& from,
                       const std::string& to, const std::string& scenario) {
    std::string head = runs_in_range;
    json::object counts;
    long long total = 0, succeeded = 0, finished = 0;
    for (const auto& row : tx.exec_params(head + "SELECT status, count(*) FROM r GROUP BY status ORDER BY status", org,
                                          from, to, scenario)) {
        auto status = row[0].as<std::string>();
        auto n = row[1].as<long long>();
        counts[status] = n;
        total += n;
        if (status == "succeeded") succeeded += n;
        if (status == "succeeded" || status == "failed" || status == "incomplete") finished += n;
    }
    auto durations = tx.exec_params1(head + "SELECT avg(duration_ms)::float8, "
                                            "percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms)::float8 "
                                            "FROM r WHERE duration_ms IS NOT NULL",
                                     org, from, to, scenario);
    json::array slowest;
    for (const auto& row : tx.exec_params(head + "SELECT n.plugin_id, coalesce(n.operation_id, ''), "
                                                 "avg(n.duration_ms)::float8, count(*) FROM node_runs n "
                                                 "JOIN r ON r.id = n.run_id "
                                                 "WHERE n.duration_ms IS NOT NULL AND n.plugin_id IS NOT NULL "
                                                 "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 5",
                                          org, from, to, scenario))
        slowest.push_back(json::object{{"plugin_id", row[0].as<std::string>()},
                                       {"operation_id", row[1].as<std::string>()},
                                       {"average_ms", row[2].as<double>()},
                                       {"count", row[3].as<long long>()}});
    json::array errors;
    for (const auto& row : tx.exec_params(head + "SELECT coalesce(error_code, 'unknown'), count(*) FROM r "
                                                 "WHERE status = 'failed' GROUP BY 1 ORDER BY 2 DESC, 1",
                                          org, from, to, scenario))
        errors.push_back(json::object{{"error_code", row[0].as<std::string>()}, {"count", row[1].as<long long>()}});
    json::value rate = nullptr;
    if (finished > 0) rate = static_cast<double>(succeeded) / static_cast<double>(finished);
    return json::object{{"total_runs", total},
                        {"by_status", std::move(counts)},
                        {"success_rate", rate},
                        {"average_duration_ms", number_or_null(durations[0])},
                        {"p95_duration_ms", number_or_null(durations[1])},
                        {"slowest_actions", std::move(slowest)},
                        {"error_breakdown", std::move(errors)}};
}

http_response summary(api_call& call) {
    auto from = time_query(call.request, "from", "");
    auto to = time_query(call.request, "to", "");
    auto scenario = query_param(call.request, "scenario_id").value_or("");
    if (!scenario.empty() && !is_uuid_text(scenario)) throw invalid_field("scenario_id", "a uuid");
    // Defaults (the last 24 hours) and the range as PostgreSQL reads it, so the answer says
    // exactly which window it covers.
    std::string f, t;
    bool ordered = false;
    try {
        pqxx::subtransaction check(call.tx, "range");
        auto range = check.exec_params1(
            "SELECT to_char(f AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
            "to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), f < t FROM "
            "(SELECT t, coalesce(nullif($1, '')::timestamptz, t - interval '1 day') AS f FROM "
            "(SELECT coalesce(nullif($2, '')::timestamptz, now()) AS t) y) x",
            from, to);
        f = range[0].as<std::string>();
        t = range[1].as<std::string>();
        ordered = range[2].as<bool>();
        check.commit();
    } catch (const pqxx::data_exception&) {
        throw api_error(400, "invalid_input", "'from' and 'to' must be ISO 8601 times", {{"field", "from"}});
    }
    if (!ordered) throw invalid_field("to", "later than 'from'");
    auto out = summarize(call.tx, call.who.org_id, f, t, scenario);
    out["from"] = f;
    out["to"] = t;
    out["scenario_id"] = scenario.empty() ? json::value(nullptr) : json::value(scenario);
    return json_response(200, out);
}

} // namespace

void add_metrics_routes(router& routes, api_context& ctx) {
    routes.add_async("GET", "/api/v1/metrics/summary", authorized(ctx, permission::scenario_read, summary));
}

} // namespace sr::host
