// Retention: old finished runs go in batches; recent or unfinished runs stay.
#include <catch2/catch.hpp>

#include "store/store.hpp"
#include "store_fixture.hpp"

using namespace sr::host;
using sr::test::store_db;

TEST_CASE("delete_runs_before removes old finished runs a batch at a time and keeps the rest") {
    store_db s;
    auto org = s.create_org("acme");
    auto scenario = s.published_scenario(org, sr::test::two_node_graph());
    {
        pqxx::work tx(s.conn);
        auto version = find_scenario(tx, org, scenario)->current_version_id;
        const char* finished[] = {"succeeded", "failed", "cancelled", "incomplete"};
        for (int i = 0; i < 24; ++i) {
            auto run = sr::test::insert_run(tx, scenario, version, finished[i % 4], "now() - interval '40 days'");
            tx.exec_params("INSERT INTO node_runs (run_id, node_id, idempotency_key) VALUES ($1, 'log', 'k')", run);
            tx.exec_params("INSERT INTO run_logs (run_id, level, message) VALUES ($1, 'info', 'm')", run);
        }
        for (const char* active : {"queued", "running", "waiting", "pending"})
            sr::test::insert_run(tx, scenario, version, active, "now() - interval '40 days'");
        for (int i = 0; i < 3; ++i) sr::test::insert_run(tx, scenario, version, "succeeded", "now()");
        tx.commit();
    }
    std::vector<std::size_t> batches;
    for (;;) {
        pqxx::work tx(s.conn);
        auto cutoff = tx.exec("SELECT to_char((now() - interval '30 days') AT TIME ZONE 'UTC',"
                              " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")[0][0]
                          .as<std::string>();
        auto n = delete_runs_before(tx, cutoff, 10);
        tx.commit();
        batches.push_back(n);
        if (n < 10 || batches.size() > 5) break;
    }
    CHECK(batches == std::vector<std::size_t>{10, 10, 4});
    CHECK(s.count("SELECT count(*) FROM runs") == 7);
    CHECK(s.count("SELECT count(*) FROM runs WHERE created_at < now() - interval '30 days'") == 4);
    CHECK(s.count("SELECT count(*) FROM node_runs") == 0);
    CHECK(s.count("SELECT count(*) FROM run_logs") == 0);
}

TEST_CASE("delete_runs_before refuses a malformed cutoff or a zero batch") {
    store_db s;
    pqxx::work tx(s.conn);
    for (const char* bad : {"", "last month", "2026-13-01", "2026-01-01T10:00:00+99:00"}) {
        INFO(bad);
        CHECK_THROWS_AS(delete_runs_before(tx, bad, 10), store_error);
    }
    CHECK_THROWS_AS(delete_runs_before(tx, "2026-01-01", 0), store_error);
    CHECK(delete_runs_before(tx, "2026-01-01", 10) == 0);
}
