// sync_schedules on publish: rows follow the version's schedule trigger nodes.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "store/store_error.hpp"
#include "trigger_fixtures.hpp"
#include "triggers/schedule_sync.hpp"

namespace json = boost::json;

namespace {

json::value node(const std::string& id, json::object settings, const std::string& type = "system.schedule") {
    return json::object{{"id", id}, {"type", type}, {"data", json::object{{"settings", std::move(settings)}}}};
}

json::value definition(json::array nodes) {
    return json::object{{"nodes", std::move(nodes)}, {"edges", json::array{}}};
}

sr::host::schedule_sync_report sync(sr::test::trigger_database& db, const std::string& scenario,
                                    const json::value& def) {
    pqxx::work tx(db.conn());
    auto report = sr::host::sync_schedules(tx, scenario, def);
    tx.commit();
    return report;
}

} // namespace

TEST_CASE("publishing creates one active schedule per schedule trigger node with its next slot") {
    sr::test::trigger_database db;
    auto scenario = db.create_scenario();
    auto report = sync(db, scenario,
                       definition({node("nightly", {{"cron", "30 2 * * *"}, {"timezone", "Europe/Berlin"},
                                                    {"catch_up", "run_all"}}),
                                   node("hourly", {{"cron", "@hourly"}}),
                                   node("act", {}, "system.transform")}));
    CHECK(report.active == 2);
    CHECK(db.scalar("SELECT count(*) FROM schedules WHERE is_active") == "2");
    CHECK(db.scalar("SELECT cron || '|' || timezone || '|' || catch_up FROM schedules WHERE node_id = 'nightly'") ==
          "30 2 * * *|Europe/Berlin|run_all");
    CHECK(db.scalar("SELECT timezone || '|' || catch_up FROM schedules WHERE node_id = 'hourly'") == "UTC|skip");
    CHECK(db.scalar("SELECT to_char(next_fire_at AT TIME ZONE 'Europe/Berlin', 'HH24:MI') FROM schedules "
                    "WHERE node_id = 'nightly'") != "");
    CHECK(db.scalar("SELECT next_fire_at > now() AND next_fire_at <= now() + interval '1 hour' FROM schedules "
                    "WHERE node_id = 'hourly'") == "t");
    CHECK(db.scalar("SELECT to_char(next_fire_at AT TIME ZONE 'UTC', 'MI:SS') FROM schedules "
                    "WHERE node_id = 'hourly'") == "00:00");
}

TEST_CASE("republishing with an unchanged cron keeps the pending slot, a changed one recomputes it") {
    sr::test::trigger_database db;
    auto scenario = db.create_scenario();
    sync(db, scenario, definition({node("a", {{"cron", "@daily"}}), node("b", {{"cron", "@daily"}})}));
    {
        pqxx::work tx(db.conn());
        tx.exec("UPDATE schedules SET next_fire_at = '2030-05-05T05:05:05Z'");
        tx.commit();
    }
    sync(db, scenario, definition({node("a", {{"cron", "@daily"}, {"catch_up", "run_once"}}),
                                   node("b", {{"cron", "@hourly"}})}));
    CHECK(db.scalar("SELECT next_fire_at = '2030-05-05T05:05:05Z' FROM schedules WHERE node_id = 'a'") == "t");
    CHECK(db.scalar("SELECT catch_up FROM schedules WHERE node_id = 'a'") == "run_once");
    CHECK(db.scalar("SELECT next_fire_at <= now() + interval '1 hour' FROM schedules WHERE node_id = 'b'") == "t");
}

TEST_CASE("a schedule node removed by a new version is deactivated, and re-armed when it returns") {
    sr::test::trigger_database db;
    auto scenario = db.create_scenario();
    sync(db, scenario, definition({node("a", {{"cron", "@daily"}}), node("b", {{"cron", "@hourly"}})}));
    auto report = sync(db, scenario, definition({node("a", {{"cron", "@daily"}})}));
    CHECK(report.deactivated == 1);
    CHECK(db.scalar("SELECT is_active FROM schedules WHERE node_id = 'b'") == "f");
    report = sync(db, scenario, definition({node("a", {{"cron", "@daily"}}), node("b", {{"cron", "@hourly"}})}));
    CHECK(report.deactivated == 0);
    CHECK(db.scalar("SELECT is_active FROM schedules WHERE node_id = 'b'") == "t");
}

TEST_CASE("invalid schedule settings fail the publish with a problem per node and write nothing") {
    sr::test::trigger_database db;
    auto scenario = db.create_scenario();
    try {
        sync(db, scenario,
             definition({node("c", {{"cron", "* * 32 * *"}}), node("z", {{"cron", "@daily"}, {"timezone", "../etc"}}),
                         node("p", {{"cron", "@daily"}, {"catch_up", "sometimes"}}), node("m", {}),
                         node("never", {{"cron", "0 0 30 2 *"}}), node("ok", {{"cron", "@daily"}})}));
        FAIL("sync_schedules accepted invalid settings");
    } catch (const sr::host::store_error& e) {
        CHECK(e.code == "validation_failed");
        auto expected = json::parse(R"([
            {"node_id": "c", "field": "cron", "message": "day-of-month: 32 is out of range 1-31"},
            {"node_id": "z", "field": "timezone", "message": "'../etc' is not a valid time zone name"},
            {"node_id": "p", "field": "catch_up", "message": "catch_up must be skip, run_once or run_all, not 'sometimes'"},
            {"node_id": "m", "field": "cron", "message": "a cron expression is required"}
        ])");
        REQUIRE(e.details.is_array());
        REQUIRE(e.details.as_array().size() == 5);
        for (std::size_t i = 0; i < 4; ++i) CHECK(e.details.as_array()[i] == expected.as_array()[i]);
        CHECK(e.details.as_array()[4].at("node_id") == "never");
    }
    CHECK(db.scalar("SELECT count(*) FROM schedules") == "0");
}
