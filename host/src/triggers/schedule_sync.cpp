#include "triggers/schedule_sync.hpp"

#include <set>
#include <vector>

#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "sr/core/schedule/fire_times.hpp"
#include "store/store_error.hpp"

namespace sr::host {

namespace {

using namespace std::chrono;
namespace cs = core::schedule;
namespace json = boost::json;

struct schedule_node {
    std::string node_id, cron, timezone, catch_up;
    sys_seconds next_fire;
};

class settings_checker {
public:
    explicit settings_checker(sys_seconds now) : now_(now) {}

    void check(const json::object& node) {
        auto* id = node.if_contains("id");
        auto* type = node.if_contains("type");
        if (type == nullptr || !type->is_string() || type->get_string() != schedule_trigger_type) return;
        std::string node_id = id != nullptr && id->is_string() ? std::string(id->get_string()) : std::string();
        const json::object* settings = nullptr;
        if (auto* data = node.if_contains("data"); data != nullptr && data->is_object())
            if (auto* s = data->as_object().if_contains("settings"); s != nullptr && s->is_object())
                settings = &s->as_object();
        schedule_node out{node_id, text(settings, "cron", ""), text(settings, "timezone", "UTC"),
                          text(settings, "catch_up", "skip"), {}};
        if (node_id.empty()) return fail(node_id, "id", "a schedule trigger node needs an id");
        auto expr = cs::cron_expression::parse(out.cron);
        if (!expr) return fail(node_id, "cron", out.cron.empty() ? "a cron expression is required" : expr.error);
        auto zone = cs::time_zone::load(out.timezone);
        if (!zone) return fail(node_id, "timezone", zone.error);
        if (!cs::parse_catch_up_policy(out.catch_up))
            return fail(node_id, "catch_up", "catch_up must be skip, run_once or run_all, not '" + out.catch_up + "'");
        auto next = cs::next_fire(*expr.expression, *zone.zone, now_);
        if (!next) return fail(node_id, "cron", next.error);
        out.next_fire = *next.at;
        nodes_.push_back(std::move(out));
    }

    const std::vector<schedule_node>& nodes() const { return nodes_; }
    const json::array& problems() const { return problems_; }

private:
    static std::string text(const json::object* settings, const char* key, const char* fallback) {
        if (settings == nullptr) return fallback;
        auto* v = settings->if_contains(key);
        if (v == nullptr || v->is_null()) return fallback;
        return v->is_string() ? std::string(v->get_string()) : std::string("<not a string>");
    }
    void fail(const std::string& node_id, const char* field, const std::string& message) {
        problems_.push_back(json::object{{"node_id", node_id}, {"field", field}, {"message", message}});
    }

    sys_seconds now_;
    std::vector<schedule_node> nodes_;
    json::array problems_;
};

void upsert(pqxx::transaction_base& tx, const std::string& scenario_id, const schedule_node& node) {
    tx.exec_params(
        "INSERT INTO schedules (scenario_id, node_id, cron, timezone, catch_up, next_fire_at, is_active) "
        "VALUES ($1, $2, $3, $4, $5, to_timestamp($6), true) "
        "ON CONFLICT (scenario_id, node_id) DO UPDATE SET "
        "  next_fire_at = CASE WHEN schedules.is_active AND schedules.next_fire_at IS NOT NULL "
        "      AND schedules.cron = EXCLUDED.cron AND schedules.timezone = EXCLUDED.timezone "
        "    THEN schedules.next_fire_at ELSE EXCLUDED.next_fire_at END, "
        "  cron = EXCLUDED.cron, timezone = EXCLUDED.timezone, catch_up = EXCLUDED.catch_up, "
        "  is_active = true, updated_at = now()",
        scenario_id, node.node_id, node.cron, node.timezone, node.catch_up,
        node.next_fire.time_since_epoch().count());
}

} // namespace

schedule_sync_report sync_schedules(pqxx::transaction_base& tx, const std::string& scenario_id,
                                    const json::value& version_definition) {
    auto now = tx.exec1("SELECT floor(extract(epoch FROM now()))::bigint")[0].as<int64_t>();
    settings_checker checker{sys_seconds{seconds{now}}};
    if (auto* def = version_definition.if_object())
        if (auto* nodes = def->if_contains("nodes"); nodes != nullptr && nodes->is_array())
            for (const auto& node : nodes->get_array())
                if (node.is_object()) checker.check(node.get_object());
    if (!checker.problems().empty())
        throw store_error("validation_failed", "schedule trigger settings are invalid", checker.problems());

    schedule_sync_report report;
    std::set<std::string> kept;
    for (const auto& node : checker.nodes()) {
        upsert(tx, scenario_id, node);
        kept.insert(node.node_id);
        ++report.active;
    }
    auto existing = tx.exec_params("SELECT id::text, node_id FROM schedules WHERE scenario_id = $1 AND is_active "
                                   "ORDER BY node_id FOR UPDATE",
                                   scenario_id);
    for (const auto& row : existing) {
        if (kept.count(row[1].as<std::string>()) != 0) continue;
        tx.exec_params("UPDATE schedules SET is_active = false, updated_at = now() WHERE id = $1",
                       row[0].as<std::string>());
        ++report.deactivated;
    }
    return report;
}

} // namespace sr::host
