// Retention passes (run_pruner, prune_runs) against a real PostgreSQL.
#include <future>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "maintenance/run_pruner.hpp"
#include "retention_fixture.hpp"

using namespace sr::host;
using sr::test::retention_db;

namespace {

prune_options days(int n, std::size_t batch) {
    prune_options o;
    o.older_than = std::chrono::hours(24) * n;
    o.batch = batch;
    return o;
}

const char* old_finished = "SELECT count(*) FROM runs WHERE finished_at < now() - interval '30 days'";

} // namespace

TEST_CASE("a prune pass deletes old finished runs a batch at a time and keeps recent and unfinished ones") {
    retention_db r;
    r.add_finished_runs(20, "40 days");
    r.add_run("cancelled", "50 days", "45 days");
    r.add_run("incomplete", "50 days", "45 days");
    r.add_run("cancelled", "50 days", ""); // final without a finish time: its creation counts
    r.add_run("succeeded", "40 days", "40 days");
    for (const char* active : {"pending", "queued", "running", "waiting"}) r.add_run(active, "60 days", "");
    r.add_run("succeeded", "1 day", "1 day");
    r.add_run("succeeded", "40 days", "2 days"); // a long wait: it finished recently, so it stays
    REQUIRE(r.count("SELECT count(*) FROM runs") == 30);

    pqxx::connection conn(r.s.db.conninfo());
    auto report = prune_runs(conn, days(30, 10));
    CHECK_FALSE(report.skipped);
    CHECK(report.deleted == 24);
    CHECK(report.batches == 3); // 10, 10, 4
    CHECK(report.complete);
    CHECK(report.cutoff.size() == std::string("2026-01-01T00:00:00.000000Z").size());
    CHECK(r.count("SELECT count(*) FROM runs") == 6);
    CHECK(r.count("SELECT count(*) FROM runs WHERE status IN ('pending', 'queued', 'running', 'waiting')") == 4);
    CHECK(r.count("SELECT count(*) FROM runs WHERE status = 'succeeded'") == 2);
}

TEST_CASE("node runs and logs go with their pruned run and stay with the runs kept") {
    retention_db r;
    r.add_finished_runs(3, "40 days");
    auto kept = r.add_run("succeeded", "1 day", "1 day");
    pqxx::connection conn(r.s.db.conninfo());
    REQUIRE(prune_runs(conn, days(30, 100)).deleted == 3);
    CHECK(r.count("SELECT count(*) FROM node_runs") == 2);
    CHECK(r.count("SELECT count(*) FROM run_logs") == 3);
    CHECK(r.count("SELECT count(*) FROM node_runs WHERE run_id <> '" + kept + "'") == 0);
}

TEST_CASE("each batch is its own committed transaction") {
    retention_db r;
    r.add_finished_runs(7, "40 days");
    pqxx::connection conn(r.s.db.conninfo());
    run_pruner pruner(conn);
    REQUIRE(pruner.try_lock());
    auto cutoff = pruner.cutoff(std::chrono::hours(24) * 30);
    CHECK(pruner.delete_batch(cutoff, 3) == 3);
    // Another session already sees the first batch gone, before the pass ends.
    CHECK(r.count(old_finished) == 4);
    CHECK(pruner.delete_batch(cutoff, 3) == 3);
    CHECK(r.count(old_finished) == 1);
    CHECK(pruner.delete_batch(cutoff, 3) == 1);
    CHECK(pruner.delete_batch(cutoff, 3) == 0);
}

TEST_CASE("a second pruner skips while another session holds the retention lock") {
    retention_db r;
    r.add_finished_runs(5, "40 days");
    pqxx::connection first(r.s.db.conninfo()), second(r.s.db.conninfo());
    run_pruner holder(first);
    REQUIRE(holder.try_lock());

    auto report = prune_runs(second, days(30, 10));
    CHECK(report.skipped);
    CHECK(report.deleted == 0);
    CHECK(report.batches == 0);
    CHECK(r.count(old_finished) == 5);

    holder.unlock();
    auto after = prune_runs(second, days(30, 10));
    CHECK_FALSE(after.skipped);
    CHECK(after.deleted == 5);
}

TEST_CASE("a pass releases the retention lock when it ends, so the next one runs") {
    retention_db r;
    pqxx::connection a(r.s.db.conninfo()), b(r.s.db.conninfo());
    CHECK_FALSE(prune_runs(a, days(30, 10)).skipped);
    CHECK_FALSE(prune_runs(b, days(30, 10)).skipped);
    run_pruner pruner(b);
    CHECK(pruner.try_lock());
}

TEST_CASE("a run locked by another transaction is skipped, never waited for") {
    retention_db r;
    r.add_finished_runs(4, "40 days");
    pqxx::connection locker(r.s.db.conninfo());
    pqxx::work hold(locker);
    auto locked = hold.exec("SELECT id FROM runs ORDER BY id LIMIT 1 FOR UPDATE")[0][0].as<std::string>();

    auto pass = std::async(std::launch::async, [&] {
        pqxx::connection conn(r.s.db.conninfo());
        return prune_runs(conn, days(30, 10));
    });
    REQUIRE(pass.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
    CHECK(pass.get().deleted == 3);
    hold.abort();
    CHECK(r.count("SELECT count(*) FROM runs WHERE id = '" + locked + "'") == 1);

    pqxx::connection conn(r.s.db.conninfo());
    CHECK(prune_runs(conn, days(30, 10)).deleted == 1);
}

TEST_CASE("max_batches ends a pass early and reports it incomplete") {
    retention_db r;
    r.add_finished_runs(9, "40 days");
    pqxx::connection conn(r.s.db.conninfo());
    auto options = days(30, 2);
    options.max_batches = 2;
    auto report = prune_runs(conn, options);
    CHECK(report.deleted == 4);
    CHECK_FALSE(report.complete);
    CHECK(r.count(old_finished) == 5);
}

TEST_CASE("a batch of zero runs is refused") {
    retention_db r;
    pqxx::connection conn(r.s.db.conninfo());
    run_pruner pruner(conn);
    CHECK_THROWS(pruner.delete_batch("2026-01-01T00:00:00Z", 0));
}

TEST_CASE("the oldest finished runs are found through the retention index, not a scan") {
    retention_db r;
    r.add_finished_runs(3, "40 days");
    pqxx::connection conn(r.s.db.conninfo());
    pqxx::work tx(conn);
    tx.exec("SET LOCAL enable_seqscan = off");
    std::string plan;
    for (const auto& row : tx.exec("EXPLAIN SELECT id FROM runs WHERE status IN ('succeeded', 'failed', 'cancelled',"
                                   " 'incomplete') AND coalesce(finished_at, created_at) < now() - interval '30 days'"
                                   " ORDER BY coalesce(finished_at, created_at) LIMIT 500 FOR UPDATE SKIP LOCKED"))
        plan += row[0].as<std::string>() + "\n";
    INFO(plan);
    CHECK(plan.find("runs_finished_idx") != std::string::npos);
}
