#include "triggers/schedule_pass.hpp"

#include <map>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <pqxx/pqxx>

#include "runtime/run_queue.hpp"
#include "store/store_error.hpp"

namespace sr::host {

namespace {

using namespace std::chrono;
namespace cs = core::schedule;

struct due_row {
    std::string id, scenario_id, node_id, cron, timezone, catch_up;
    sys_seconds next_fire_at;
};

struct pass_clock {
    sys_seconds now;
    std::string fired_at; // now() with milliseconds, ISO 8601 UTC
};

pass_clock database_now(pqxx::transaction_base& tx) {
    auto row = tx.exec1("SELECT floor(extract(epoch FROM now()))::bigint, "
                        "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')");
    return {sys_seconds{seconds{row[0].as<int64_t>()}}, row[1].as<std::string>()};
}

std::vector<due_row> lock_due_rows(pqxx::transaction_base& tx, std::size_t batch) {
    auto rows = tx.exec_params(
        "SELECT id::text, scenario_id::text, node_id, cron, timezone, catch_up, "
        "  floor(extract(epoch FROM next_fire_at))::bigint "
        "FROM schedules WHERE is_active AND next_fire_at <= now() "
        "ORDER BY next_fire_at FOR UPDATE SKIP LOCKED LIMIT $1",
        static_cast<int64_t>(batch));
    std::vector<due_row> due;
    for (const auto& r : rows)
        due.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(),
                       r[4].as<std::string>(), r[5].as<std::string>(), sys_seconds{seconds{r[6].as<int64_t>()}}});
    return due;
}

// Time zones read once per pass: many schedules share a handful of zones.
class zone_cache {
public:
    const cs::time_zone_result& get(const std::string& name) {
        auto it = zones_.find(name);
        if (it == zones_.end()) it = zones_.emplace(name, cs::time_zone::load(name)).first;
        return it->second;
    }

private:
    std::map<std::string, cs::time_zone_result> zones_;
};

void park(pqxx::transaction_base& tx, const due_row& row) {
    tx.exec_params("UPDATE schedules SET next_fire_at = NULL, updated_at = now() WHERE id = $1", row.id);
}

void advance(pqxx::transaction_base& tx, const due_row& row, const cs::due_result& due) {
    bool fired = !due.runs.empty();
    tx.exec_params("UPDATE schedules SET next_fire_at = to_timestamp($2), "
                   "  last_fired_at = CASE WHEN $3 THEN to_timestamp($4) ELSE last_fired_at END, updated_at = now() "
                   "WHERE id = $1",
                   row.id, due.next_fire.time_since_epoch().count(), fired,
                   fired ? due.runs.back().time_since_epoch().count() : int64_t{0});
}

void enqueue_slot(pqxx::transaction_base& tx, const due_row& row, sys_seconds slot, const pass_clock& clock,
                  schedule_pass_report& report) {
    new_run run;
    run.scenario_id = row.scenario_id;
    run.trigger_kind = "schedule";
    run.trigger_node_id = row.node_id;
    run.trigger_data = boost::json::object{{"scheduled_at", iso_utc(slot)}, {"fired_at", clock.fired_at}};
    run.idempotency_key = schedule_idempotency_key(row.id, slot);
    try {
        auto queued = enqueue_run(tx, run);
        ++(queued.created ? report.runs_created : report.runs_existing);
    } catch (const store_error& e) {
        // The slot is consumed either way: a paused-and-rejecting scenario does not get it later.
        ++report.slots_refused;
        report.problems.push_back({row.id, fmt::format("slot {} refused: {}", iso_utc(slot), e.what())});
    }
}

// Bad settings are found before any SQL, so they never abort the transaction. No savepoint
// per row: a subtransaction updating the scenario row its parent locked made hosts deadlock
// (seen in the two-host test); an SQL failure fails the whole pass instead, which commits
// nothing and is retried on the next tick.
void fire_row(pqxx::transaction_base& tx, const due_row& row, const pass_clock& clock, zone_cache& zones,
              const schedule_pass_options& options, schedule_pass_report& report) {
    auto expr = cs::cron_expression::parse(row.cron);
    const auto& zone = zones.get(row.timezone);
    auto policy = cs::parse_catch_up_policy(row.catch_up);
    std::string problem = !expr ? "cron " + expr.error
                          : !zone ? zone.error
                          : !policy ? fmt::format("unknown catch-up policy '{}'", row.catch_up)
                                    : std::string();
    cs::due_result due;
    if (problem.empty()) {
        // next_fire_at is the next slot itself: slots strictly after one second earlier.
        due = cs::due_slots(*expr.expression, *zone.zone, row.next_fire_at - seconds{1}, clock.now, *policy,
                            options.grace);
        if (!due) problem = due.error;
    }
    if (!problem.empty()) {
        report.problems.push_back({row.id, problem + "; the schedule is parked until its scenario is published again"});
        park(tx, row);
        return;
    }
    for (auto slot : due.runs) enqueue_slot(tx, row, slot, clock, report);
    advance(tx, row, due);
}

std::optional<milliseconds> next_due_in(pqxx::transaction_base& tx) {
    auto row = tx.exec1("SELECT (extract(epoch FROM min(next_fire_at) - now()) * 1000)::bigint "
                        "FROM schedules WHERE is_active AND next_fire_at IS NOT NULL");
    if (row[0].is_null()) return std::nullopt;
    return milliseconds{std::max<int64_t>(0, row[0].as<int64_t>())};
}

} // namespace

std::string iso_utc(sys_seconds instant) {
    auto day_start = floor<days>(instant);
    year_month_day ymd{day_start};
    hh_mm_ss hms{instant - day_start};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                       hms.minutes().count(), hms.seconds().count());
}

std::string schedule_idempotency_key(const std::string& schedule_id, sys_seconds slot) {
    return "schedule:" + schedule_id + ":" + iso_utc(slot);
}

schedule_pass_report run_schedule_pass(pqxx::connection& conn, const schedule_pass_options& options) {
    schedule_pass_report report;
    pqxx::work tx(conn);
    auto clock = database_now(tx);
    auto rows = lock_due_rows(tx, options.batch);
    report.batch_full = rows.size() == options.batch;
    zone_cache zones;
    for (const auto& row : rows) {
        fire_row(tx, row, clock, zones, options, report);
        ++report.schedules;
    }
    report.next_due_in = next_due_in(tx);
    tx.commit();
    return report;
}

} // namespace sr::host
