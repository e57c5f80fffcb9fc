// One schedule pass against a real database: catch-up policies after downtime, inactive and
// broken rows, paused scenarios, and the idempotency key as the second guard.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "runtime/run_queue.hpp"
#include "trigger_fixtures.hpp"
#include "triggers/schedule_pass.hpp"

using sr::host::run_schedule_pass;

namespace {

// The schedule was last due on 2020-01-01 (yearly) and the hosts were down since: every
// January 1st from 2020 to this year is a missed slot.
struct yearly_downtime {
    sr::test::trigger_database db;
    std::string scenario = db.create_scenario();
    int this_year = std::stoi(db.scalar("SELECT extract(year FROM now())::int"));

    std::string add(const std::string& node, const std::string& policy) {
        return db.add_schedule(scenario, node, "0 0 1 1 *", "'2020-01-01T00:00:00Z'", policy);
    }
    std::string next_fire_at(const std::string& id) {
        return db.scalar("SELECT to_char(next_fire_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM schedules "
                         "WHERE id = '" + id + "'");
    }
    std::string next_new_year() const { return fmt::format("{}-01-01 00:00", this_year + 1); }
};

} // namespace

TEST_CASE("skip runs no missed slot after downtime and moves to the first slot after now") {
    yearly_downtime f;
    auto id = f.add("cron", "skip");
    auto report = run_schedule_pass(f.db.conn());
    CHECK(report.schedules == 1);
    CHECK(report.runs_created == 0);
    CHECK(f.db.scheduled_slots(f.scenario, "cron").empty());
    CHECK(f.next_fire_at(id) == f.next_new_year());
    CHECK(f.db.scalar("SELECT last_fired_at FROM schedules WHERE id = '" + id + "'").empty());
}

TEST_CASE("run_once runs once after downtime, stamped with the latest missed slot") {
    yearly_downtime f;
    auto id = f.add("cron", "run_once");
    auto report = run_schedule_pass(f.db.conn());
    CHECK(report.runs_created == 1);
    CHECK(f.db.scheduled_slots(f.scenario, "cron") ==
          std::vector<std::string>{fmt::format("{}-01-01T00:00:00Z", f.this_year)});
    CHECK(f.next_fire_at(id) == f.next_new_year());
    CHECK(f.db.scalar("SELECT to_char(last_fired_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM schedules WHERE id = '" +
                      id + "'") == fmt::format("{}-01-01", f.this_year));
}

TEST_CASE("run_all runs every missed slot after downtime") {
    yearly_downtime f;
    auto id = f.add("cron", "run_all");
    auto report = run_schedule_pass(f.db.conn());
    std::vector<std::string> expected;
    for (int year = 2020; year <= f.this_year; ++year) expected.push_back(fmt::format("{}-01-01T00:00:00Z", year));
    CHECK(report.runs_created == expected.size());
    CHECK(f.db.scheduled_slots(f.scenario, "cron") == expected);
    CHECK(f.next_fire_at(id) == f.next_new_year());
}

TEST_CASE("a scheduled run carries its trigger, slot, firing time and idempotency key") {
    yearly_downtime f;
    auto id = f.add("cron", "run_once");
    run_schedule_pass(f.db.conn());
    auto slot = fmt::format("{}-01-01T00:00:00Z", f.this_year);
    CHECK(f.db.scalar("SELECT idempotency_key FROM runs") == "schedule:" + id + ":" + slot);
    CHECK(f.db.scalar("SELECT trigger_kind || '/' || trigger_node_id FROM runs") == "schedule/cron");
    CHECK(f.db.scalar("SELECT status FROM runs") == "queued");
    CHECK(f.db.scalar("SELECT (trigger_data->>'fired_at')::timestamptz BETWEEN now() - interval '1 minute' AND now() "
                      "FROM runs") == "t");
}

TEST_CASE("a deactivated schedule does not fire even when its slot is past") {
    sr::test::trigger_database db;
    auto scenario = db.create_scenario();
    auto id = db.add_schedule(scenario, "off", "* * * * *", "now() - interval '1 hour'", "run_all", "UTC", false);
    auto before = db.scalar("SELECT next_fire_at::text FROM schedules");
    auto report = run_schedule_pass(db.conn());
    CHECK(report.schedules == 0);
    CHECK(db.scalar("SELECT count(*) FROM runs") == "0");
    CHECK(db.scalar("SELECT next_fire_at::text FROM schedules") == before);
}

TEST_CASE("a schedule whose slot is still ahead does not fire") {
    sr::test::trigger_database db;
    auto scenario = db.create_scenario();
    db.add_schedule(scenario, "later", "* * * * *", "now() + interval '1 hour'", "run_all");
    auto report = run_schedule_pass(db.conn());
    CHECK(report.schedules == 0);
    CHECK(db.scalar("SELECT count(*) FROM runs") == "0");
    REQUIRE(report.next_due_in);
    CHECK(report.next_due_in->count() > 3500 * 1000);
}

TEST_CASE("a bad cron or zone in a row is reported and parked without stopping the others") {
    sr::test::trigger_database db;
    auto scenario = db.create_scenario();
    auto bad_cron = db.add_schedule(scenario, "bad_cron", "61 * * * *", "now() - interval '2 seconds'", "run_once");
    auto bad_zone = db.add_schedule(scenario, "bad_zone", "* * * * *", "now() - interval '2 seconds'", "run_once",
                                    "Mars/Olympus_Mons");
    auto good = db.add_schedule(scenario, "good", "* * * * * *", "now() - interval '2 seconds'", "run_once");
    auto report = run_schedule_pass(db.conn());
    CHECK(report.schedules == 3);
    CHECK(report.runs_created == 1);
    REQUIRE(report.problems.size() == 2);
    for (const auto& p : report.problems) {
        if (p.schedule_id == bad_cron)
            CHECK(p.message == "cron minute: 61 is out of range 0-59; the schedule is parked until its scenario is "
                               "published again");
        else
            CHECK(p.message == "unknown time zone 'Mars/Olympus_Mons'; the schedule is parked until its scenario is "
                               "published again");
        CHECK(p.schedule_id != good);
    }
    CHECK(db.scheduled_slots(scenario, "good").size() == 1);
    CHECK(db.scalar("SELECT count(*) FROM schedules WHERE next_fire_at IS NULL") == "2");
    // Parked rows are not picked up (or reported) again by the next pass.
    auto again = run_schedule_pass(db.conn());
    CHECK(again.problems.empty());
}

TEST_CASE("an already used idempotency key does not create a second run for the slot") {
    sr::test::trigger_database db;
    auto scenario = db.create_scenario();
    auto id = db.add_schedule(scenario, "cron", "0 0 1 1 *", "'2024-01-01T00:00:00Z'", "run_all");
    {
        // Another host enqueued the 2024 slot but its schedule update was lost (the second guard).
        pqxx::work tx(db.conn());
        sr::host::new_run run;
        run.scenario_id = scenario;
        run.trigger_kind = "schedule";
        run.trigger_node_id = "cron";
        run.trigger_data = boost::json::object{{"scheduled_at", "2024-01-01T00:00:00Z"}};
        run.idempotency_key = "schedule:" + id + ":2024-01-01T00:00:00Z";
        sr::host::enqueue_run(tx, run);
        tx.commit();
    }
    auto report = run_schedule_pass(db.conn());
    CHECK(report.runs_existing == 1);
    auto slots = db.scheduled_slots(scenario, "cron");
    CHECK(std::count(slots.begin(), slots.end(), "2024-01-01T00:00:00Z") == 1);
    CHECK(slots.size() == report.runs_created + 1);
}

TEST_CASE("a slot refused by a paused scenario is reported and not fired later") {
    sr::test::trigger_database db;
    auto scenario = db.create_scenario();
    db.set_status(scenario, "paused", "reject");
    auto id = db.add_schedule(scenario, "cron", "* * * * * *", "now() - interval '1 second'", "run_once");
    auto report = run_schedule_pass(db.conn());
    CHECK(report.slots_refused == 1);
    REQUIRE(report.problems.size() == 1);
    CHECK(report.problems[0].message.find("is paused and refuses new runs") != std::string::npos);
    CHECK(db.scalar("SELECT count(*) FROM runs") == "0");
    CHECK(db.scalar("SELECT next_fire_at > now() FROM schedules") == "t");
}

TEST_CASE("a paused scenario with the queue policy keeps its scheduled run pending") {
    sr::test::trigger_database db;
    auto scenario = db.create_scenario();
    db.set_status(scenario, "paused", "queue");
    db.add_schedule(scenario, "cron", "* * * * * *", "now() - interval '1 second'", "run_once");
    auto report = run_schedule_pass(db.conn());
    CHECK(report.runs_created == 1);
    CHECK(db.scalar("SELECT status FROM runs") == "pending");
}

TEST_CASE("a pass takes at most its batch of due rows and says more may be due") {
    sr::test::trigger_database db;
    auto scenario = db.create_scenario();
    for (int i = 0; i < 5; ++i)
        db.add_schedule(scenario, "n" + std::to_string(i), "0 0 1 1 *", "'2025-01-01T00:00:00Z'", "run_once");
    sr::host::schedule_pass_options options;
    options.batch = 3;
    auto first = run_schedule_pass(db.conn(), options);
    CHECK(first.schedules == 3);
    CHECK(first.batch_full);
    auto second = run_schedule_pass(db.conn(), options);
    CHECK(second.schedules == 2);
    CHECK_FALSE(second.batch_full);
    CHECK(db.scalar("SELECT count(*) FROM runs") == "5");
}
