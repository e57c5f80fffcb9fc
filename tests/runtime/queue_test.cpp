// The run queue: enqueue rules, idempotency, claims and leases, straight against PostgreSQL.
#include <set>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "runtime/run_claims.hpp"
#include "runtime/run_queue.hpp"
#include "runtime_fixture.hpp"
#include "store/store_error.hpp"

using namespace sr::test;
namespace json = boost::json;

namespace {

json::value trivial_graph() {
    return json::object{{"nodes", json::array{graph_node("trigger", "system.manual"),
                                              graph_node("log", "system.log", {{"message", "hi"}})}},
                        {"edges", json::array{graph_edge("trigger", "log")}}};
}

std::string store_error_code(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const sr::host::store_error& e) {
        return e.code;
    }
    return "none";
}

sr::host::new_run manual_run(const std::string& scenario) {
    sr::host::new_run r;
    r.scenario_id = scenario;
    r.trigger_kind = "manual";
    return r;
}

} // namespace

TEST_CASE("enqueue_run refuses unknown scenarios, unpublished ones, bad ids and bad trigger kinds") {
    runtime_db db;
    pqxx::connection conn(db.conninfo());
    auto attempt = [&](sr::host::new_run r) {
        return store_error_code([&] {
            pqxx::work tx(conn);
            sr::host::enqueue_run(tx, r);
        });
    };
    CHECK(attempt(manual_run("not-a-uuid")) == "not_found");
    CHECK(attempt(manual_run("00000000-0000-0000-0000-000000000000")) == "not_found");
    CHECK(attempt(manual_run(db.scenario_id())) == "conflict"); // nothing published yet
    db.publish(trivial_graph());
    auto bad_kind = manual_run(db.scenario_id());
    bad_kind.trigger_kind = "carrier_pigeon";
    CHECK(attempt(bad_kind) == "invalid_input");
    auto bad_version = manual_run(db.scenario_id());
    bad_version.version_id = "00000000-0000-0000-0000-000000000000";
    CHECK(attempt(bad_version) == "not_found");
    CHECK(db.count("SELECT count(*) FROM runs") == 0);
}

TEST_CASE("a run is pinned to the version current when it was queued") {
    runtime_db db;
    auto v1 = db.publish(trivial_graph());
    auto run = db.enqueue();
    db.publish(trivial_graph());
    CHECK(db.scalar("SELECT version_id::text FROM runs WHERE id = '" + run + "'") == v1);
    CHECK(db.scalar("SELECT status FROM runs WHERE id = '" + run + "'") == "queued");
}

TEST_CASE("an idempotency key used before returns the first run and queues nothing") {
    runtime_db db;
    db.publish(trivial_graph());
    auto first = db.enqueue(json::object{{"n", 1}}, "evt-1");
    auto second = db.enqueue(json::object{{"n", 2}}, "evt-1");
    CHECK(first == second);
    CHECK(db.count("SELECT count(*) FROM runs") == 1);
    CHECK(db.scalar("SELECT trigger_data->>'n' FROM runs") == "1");
}

TEST_CASE("a paused scenario keeps new runs pending or refuses them, per its policy") {
    runtime_db db;
    db.publish(trivial_graph());
    db.exec("UPDATE scenarios SET status = 'paused', pause_policy = 'queue'");
    auto kept = db.enqueue();
    CHECK(db.scalar("SELECT status FROM runs WHERE id = '" + kept + "'") == "pending");
    pqxx::connection conn(db.conninfo());
    {
        pqxx::work tx(conn);
        CHECK(sr::host::claim_runs(tx, "h", 10'000, 10).empty()); // pending is not claimable
    }
    {
        pqxx::work tx(conn);
        CHECK(sr::host::release_pending_runs(tx, db.scenario_id()) == 1);
        tx.commit();
    }
    CHECK(db.scalar("SELECT status FROM runs WHERE id = '" + kept + "'") == "queued");
    db.exec("UPDATE scenarios SET pause_policy = 'reject'");
    CHECK(store_error_code([&] { db.enqueue(); }) == "conflict");
    CHECK(db.count("SELECT count(*) FROM runs") == 1);
}

TEST_CASE("two hosts claiming at once never take the same run") {
    runtime_db db;
    db.publish(trivial_graph());
    for (int i = 0; i < 50; ++i) db.enqueue();
    pqxx::connection a(db.conninfo()), b(db.conninfo());
    pqxx::work ta(a), tb(b);
    auto first = sr::host::claim_runs(ta, "host-a", 10'000, 30);
    auto second = sr::host::claim_runs(tb, "host-b", 10'000, 30); // skips the rows host-a holds
    CHECK(first.size() == 30);
    CHECK(second.size() == 20);
    std::set<std::string> ids;
    for (const auto& r : first) ids.insert(r.run_id);
    for (const auto& r : second) ids.insert(r.run_id);
    CHECK(ids.size() == 50);
    ta.commit();
    tb.commit();
    CHECK(db.count("SELECT count(*) FROM runs WHERE status = 'running' AND lease_owner = 'host-a'") == 30);
}

TEST_CASE("a run whose lease expired is claimed again with its committed results as a journal") {
    runtime_db db;
    db.publish(trivial_graph());
    auto run = db.enqueue();
    db.exec("UPDATE runs SET status = 'running', lease_owner = 'dead', lease_expires_at = now() - interval '1 second'");
    db.exec("INSERT INTO node_runs (run_id, node_id, status, output, attempt, idempotency_key) VALUES ('" + run +
            "', 'log', 'succeeded', '{\"done\": true}', 2, '" + run + "/log'), ('" + run +
            "', 'other', 'failed', NULL, 1, '" + run + "/other')");
    pqxx::connection conn(db.conninfo());
    pqxx::work tx(conn);
    auto claimed = sr::host::claim_runs(tx, "alive", 10'000, 10);
    tx.commit();
    REQUIRE(claimed.size() == 1);
    CHECK(claimed[0].attempt == 2);
    REQUIRE(claimed[0].journal.size() == 1); // a failed node is not replayed: it runs again
    CHECK(claimed[0].journal[0].path == "log");
    CHECK(claimed[0].journal[0].attempt == 2);
    CHECK(claimed[0].journal[0].result.output.at("done").as_bool());
    CHECK(db.scalar("SELECT lease_owner FROM runs") == "alive");
}

TEST_CASE("a lease that is still valid is not taken over, and renewing keeps it") {
    runtime_db db;
    db.publish(trivial_graph());
    auto run = db.enqueue();
    pqxx::connection conn(db.conninfo());
    {
        pqxx::work tx(conn);
        REQUIRE(sr::host::claim_runs(tx, "a", 60'000, 10).size() == 1);
        tx.commit();
    }
    {
        pqxx::work tx(conn);
        CHECK(sr::host::claim_runs(tx, "b", 60'000, 10).empty());
        auto report = sr::host::renew_leases(tx, "a", 60'000, {run});
        CHECK(report.held == std::vector<std::string>{run});
        tx.commit();
    }
}

TEST_CASE("a stray lease is expired at the next renewal and the run is taken over with its attempt counted") {
    runtime_db db;
    db.publish(trivial_graph());
    auto run = db.enqueue();
    pqxx::connection conn(db.conninfo());
    {
        pqxx::work tx(conn);
        REQUIRE(sr::host::claim_runs(tx, "a", 60'000, 10).size() == 1);
        tx.commit();
    }
    // Host a gave the run up (its commit failed) and its lease was last renewed long ago.
    db.exec("UPDATE runs SET lease_expires_at = now() + interval '10 seconds'");
    {
        pqxx::work tx(conn);
        auto report = sr::host::renew_leases(tx, "a", 60'000, {});
        CHECK(report.held.empty());
        tx.commit();
    }
    pqxx::work tx(conn);
    auto claimed = sr::host::claim_runs(tx, "b", 60'000, 10);
    REQUIRE(claimed.size() == 1);
    CHECK(claimed[0].run_id == run);
    CHECK(claimed[0].attempt == 2);
    tx.commit();
}

TEST_CASE("a lease granted or renewed within half a lease is not stray even when the run is not listed") {
    runtime_db db;
    db.publish(trivial_graph());
    db.enqueue();
    pqxx::connection conn(db.conninfo());
    {
        pqxx::work tx(conn);
        REQUIRE(sr::host::claim_runs(tx, "a", 60'000, 10).size() == 1);
        tx.commit();
    }
    {
        pqxx::work tx(conn);
        sr::host::renew_leases(tx, "a", 60'000, {}); // claimed a moment ago, not yet running here
        tx.commit();
    }
    pqxx::work tx(conn);
    CHECK(sr::host::claim_runs(tx, "b", 60'000, 10).empty());
    CHECK(db.scalar("SELECT lease_owner FROM runs") == "a");
}
