// The run read side: filtered pages newest first with a cursor, one run with its node runs and
// logs, organization isolation, and the plan PostgreSQL uses.
#include <set>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "store/store.hpp"
#include "store_fixture.hpp"

using namespace sr::host;
using sr::test::store_db;
using sr::test::store_error_code;
namespace json = boost::json;

namespace {

struct runs_world {
    store_db s;
    std::string org = s.create_org("acme");
    std::string scenario = s.published_scenario(org, sr::test::two_node_graph());
    std::string version;

    runs_world() {
        pqxx::work tx(s.conn);
        version = find_scenario(tx, org, scenario)->current_version_id;
    }

    // `n` runs one minute apart going back from now, in pairs sharing a created_at so the id
    // breaks ties; returns their ids.
    std::vector<std::string> add_runs(int n, const std::string& status = "succeeded", int offset_minutes = 0) {
        pqxx::work tx(s.conn);
        std::vector<std::string> ids;
        for (int i = 0; i < n; ++i)
            ids.push_back(sr::test::insert_run(tx, scenario, version, status,
                                               fmt::format("timestamptz '2026-11-01T12:00:00Z' - interval '{} minutes'",
                                                           (i / 2) + offset_minutes)));
        tx.commit();
        return ids;
    }
};

} // namespace

TEST_CASE("list_runs pages newest first over several pages with no duplicates or gaps") {
    runs_world w;
    auto ids = w.add_runs(25);
    pqxx::work tx(w.s.conn);
    run_filter f;
    f.scenario_id = w.scenario;
    f.limit = 10;
    std::vector<std::string> seen;
    std::string last_created;
    int pages = 0;
    do {
        auto page = list_runs(tx, w.org, f);
        ++pages;
        for (const auto& r : page.runs) {
            std::string created(r.at("created_at").as_string());
            CHECK(created <= (last_created.empty() ? created : last_created));
            last_created = created;
            seen.emplace_back(r.at("id").as_string());
        }
        f.cursor = page.next_cursor;
    } while (!f.cursor.empty() && pages < 10);
    CHECK(pages == 3);
    CHECK(seen.size() == 25);
    CHECK(std::set<std::string>(seen.begin(), seen.end()) == std::set<std::string>(ids.begin(), ids.end()));
}

TEST_CASE("list_runs ends with an empty cursor when the last page is exactly full") {
    runs_world w;
    w.add_runs(10);
    pqxx::work tx(w.s.conn);
    run_filter f;
    f.limit = 10;
    auto page = list_runs(tx, w.org, f);
    CHECK(page.runs.size() == 10);
    CHECK(page.next_cursor.empty());
}

TEST_CASE("list_runs filters by scenario, status and time range") {
    runs_world w;
    w.add_runs(6, "succeeded");
    w.add_runs(4, "failed", 100);
    auto other = w.s.published_scenario(w.org, sr::test::two_node_graph());
    {
        pqxx::work tx(w.s.conn);
        sr::test::insert_run(tx, other, find_scenario(tx, w.org, other)->current_version_id, "failed");
        tx.commit();
    }
    pqxx::work tx(w.s.conn);
    run_filter all;
    CHECK(list_runs(tx, w.org, all).runs.size() == 11);
    run_filter by_scenario;
    by_scenario.scenario_id = w.scenario;
    CHECK(list_runs(tx, w.org, by_scenario).runs.size() == 10);
    run_filter failed = by_scenario;
    failed.status = "failed";
    auto page = list_runs(tx, w.org, failed);
    CHECK(page.runs.size() == 4);
    for (const auto& r : page.runs) CHECK(r.at("status") == "failed");
    run_filter window = by_scenario;
    window.from = "2026-11-01T11:58:00Z"; // the runs at 12:00, 11:59 and 11:58 (two each)
    window.to = "2026-11-01T12:00:00.000001Z";
    CHECK(list_runs(tx, w.org, window).runs.size() == 6);
    window.to = "2026-11-01T12:00:00Z"; // exclusive
    CHECK(list_runs(tx, w.org, window).runs.size() == 4);
    window.from = "2026-11-01T13:58:00+02:00"; // the same instant as 11:58Z
    CHECK(list_runs(tx, w.org, window).runs.size() == 4);
}

TEST_CASE("list_runs and find_run never show runs of another organization") {
    runs_world w;
    auto ids = w.add_runs(3);
    auto intruder = w.s.create_org("intruder");
    pqxx::work tx(w.s.conn);
    CHECK(list_runs(tx, intruder, run_filter{}).runs.empty());
    run_filter f;
    f.scenario_id = w.scenario;
    CHECK(list_runs(tx, intruder, f).runs.empty());
    CHECK_FALSE(find_run(tx, intruder, ids[0]));
    CHECK(find_run(tx, w.org, ids[0]));
}

TEST_CASE("list_runs refuses a malformed cursor, status, scenario id or time with invalid_input") {
    runs_world w;
    pqxx::work tx(w.s.conn);
    auto with = [&](auto change) {
        run_filter f;
        change(f);
        return store_error_code([&] { list_runs(tx, w.org, f); });
    };
    CHECK(with([](run_filter& f) { f.cursor = "zz"; }) == "invalid_input");
    CHECK(with([](run_filter& f) { f.cursor = "6e6f2d626172"; }) == "invalid_input"); // "no-bar"
    CHECK(with([](run_filter& f) { f.status = "exploded"; }) == "invalid_input");
    CHECK(with([](run_filter& f) { f.scenario_id = "1 OR 1=1"; }) == "invalid_input");
    CHECK(with([](run_filter& f) { f.from = "yesterday"; }) == "invalid_input");
    CHECK(with([](run_filter& f) { f.to = "2026-02-30T00:00:00Z"; }) == "invalid_input");
    CHECK(with([](run_filter& f) { f.to = "2026-01-01T25:00:00Z"; }) == "invalid_input");
    // The transaction is intact.
    CHECK(list_runs(tx, w.org, run_filter{}).runs.empty());
    CHECK_FALSE(find_run(tx, w.org, "not-a-uuid"));
}

TEST_CASE("find_run returns the run with its node runs and logs in order") {
    runs_world w;
    pqxx::work tx(w.s.conn);
    auto run = sr::test::insert_run(tx, w.scenario, w.version, "failed");
    tx.exec_params("UPDATE runs SET trigger_data = '{\"order\": 7}', started_at = now(), finished_at = now(),"
                   " error_code = 'boom', error_node_id = 'log' WHERE id = $1", run);
    tx.exec_params("INSERT INTO node_runs (run_id, node_id, status, output, idempotency_key, started_at) VALUES"
                   " ($1, 'log', 'failed', NULL, 'k2', now()),"
                   " ($1, 'trigger', 'succeeded', '{\"payload\": 1}', 'k1', now() - interval '1 second')",
                   run);
    tx.exec_params("INSERT INTO run_logs (run_id, node_id, level, message, data) VALUES"
                   " ($1, 'trigger', 'info', 'first', '{\"a\": 1}'), ($1, 'log', 'error', 'second', NULL)",
                   run);
    auto found = find_run(tx, w.org, run);
    REQUIRE(found);
    CHECK(found->at("status") == "failed");
    CHECK(found->at("trigger_data").at("order") == 7);
    CHECK(found->at("error_code") == "boom");
    CHECK(found->at("duration_ms").is_null());
    const auto& nodes = found->at("nodes").as_array();
    REQUIRE(nodes.size() == 2);
    CHECK(nodes[0].at("node_id") == "trigger");
    CHECK(nodes[0].at("output").at("payload") == 1);
    CHECK(nodes[1].at("node_id") == "log");
    const auto& logs = found->at("logs").as_array();
    REQUIRE(logs.size() == 2);
    CHECK(logs[0].at("message") == "first");
    CHECK(logs[0].at("data").at("a") == 1);
    CHECK(logs[1].at("level") == "error");
    CHECK_FALSE(find_run(tx, w.org, "00000000-0000-0000-0000-000000000000"));
}

TEST_CASE("list_runs of a scenario is an index range scan in (created_at, id) order, with no sort") {
    runs_world w;
    // Enough runs over many scenarios that a sequential scan would be the wrong plan.
    {
        pqxx::work tx(w.s.conn);
        for (int i = 0; i < 20; ++i) {
            auto sid = create_scenario(tx, w.org, "", "bulk", "", nullptr).id;
            save_draft(tx, w.org, sid, sr::test::two_node_graph(), -1);
            auto vid = publish_scenario(tx, w.org, sid, "", "", nullptr).id;
            tx.exec_params("INSERT INTO runs (scenario_id, version_id, status, trigger_kind, correlation_id, created_at)"
                           " SELECT $1, $2, CASE WHEN g % 3 = 0 THEN 'failed' ELSE 'succeeded' END, 'manual', 'c' || g,"
                           " now() - g * interval '1 second' FROM generate_series(1, 500) g",
                           sid, vid);
        }
        tx.exec("ANALYZE runs");
        tx.commit();
    }
    w.add_runs(30);
    pqxx::work tx(w.s.conn);
    run_filter f;
    f.scenario_id = w.scenario;
    f.limit = 10;
    auto first = list_runs(tx, w.org, f);
    f.cursor = first.next_cursor;
    auto plan = explain_list_runs(tx, w.org, f);
    INFO(plan);
    CHECK(plan.find("Index Scan Backward using runs_scenario_created_idx") != std::string::npos);
    CHECK(plan.find("Sort") == std::string::npos);
    CHECK(plan.find("Seq Scan on runs") == std::string::npos);
    f.status = "succeeded";
    plan = explain_list_runs(tx, w.org, f);
    INFO(plan);
    CHECK(plan.find("Index Scan Backward using runs_scenario_status_created_idx") != std::string::npos);
    CHECK(plan.find("Sort") == std::string::npos);
}
