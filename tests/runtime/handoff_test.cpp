// Hand-off: a run stored by this host goes straight to its worker, stored already running under
// the worker's lease, with no claim; the worker's capacity and a drain bound it.
#include <future>

#include <catch2/catch.hpp>

#include "runtime_fixture.hpp"

using namespace sr::test;
namespace json = boost::json;
namespace host = sr::host;
using namespace std::chrono_literals;

namespace {

json::value log_graph() {
    return json::object{{"nodes", json::array{graph_node("trigger", "system.manual"),
                                              graph_node("say", "system.log", {{"message", "hi {{trigger.n}}"}})}},
                        {"edges", json::array{graph_edge("trigger", "say")}}};
}

// Stores a run handed to `h` in one transaction, as the webhook ingest does; returns its id.
std::string store_handed_off(runtime_db& db, host::run_handoff& h, int n) {
    pqxx::connection conn(db.conninfo());
    pqxx::work tx(conn);
    host::new_run run;
    run.scenario_id = db.scenario_id();
    run.trigger_kind = "manual";
    run.trigger_data = json::object{{"n", n}};
    run.notify = false; // nothing may wake a claim: the run must start through the hand-off
    run.lease_owner = h.owner();
    run.lease_ms = h.lease_ms();
    auto stored = host::enqueue_run(tx, run);
    REQUIRE(stored.status == "running");
    host::claimed_run claimed;
    claimed.run_id = stored.run_id;
    claimed.scenario_id = db.scenario_id();
    claimed.version_id = stored.version_id;
    claimed.organization_id = db.scalar("SELECT organization_id FROM scenarios WHERE id = '" + db.scenario_id() + "'");
    claimed.trigger_kind = "manual";
    claimed.correlation_id = stored.correlation_id;
    claimed.trigger_data = run.trigger_data;
    h.prepare(tx, std::move(claimed));
    tx.commit();
    return stored.run_id;
}

} // namespace

TEST_CASE("a handed-off run is stored running under the host's lease and runs there without a claim") {
    runtime_db db;
    db.publish(log_graph());
    auto options = fast_options("h1");
    options.poll_interval = 60s; // no poll either: only the hand-off can start it
    worker_host host(db.conninfo(), options);
    auto h = host.worker().reserve();
    REQUIRE(h);
    CHECK(h->owner() == "h1");
    auto id = store_handed_off(db, *h, 7);
    // Stored running and leased in the run's own insert: started_at is its transaction's time.
    CHECK(db.count("SELECT count(*) FROM runs WHERE id = '" + id + "' AND lease_owner = 'h1' "
                   "AND started_at = created_at AND lease_expires_at > now()") == 1);
    h->start();
    REQUIRE(db.wait_count("SELECT count(*) FROM runs WHERE status = 'succeeded' AND attempt = 1", 1, 10s));
    CHECK(db.count("SELECT count(*) FROM node_runs WHERE run_id = '" + id + "' AND node_id = 'say' "
                   "AND output->>'message' = 'hi 7'") == 1);
    CHECK(db.count("SELECT count(*) FROM runs WHERE lease_owner IS NOT NULL") == 0);
}

TEST_CASE("a full host reserves no hand-off, and a hand-off dropped before its start gives its place back") {
    runtime_db db;
    db.publish(log_graph());
    auto options = fast_options("h1");
    options.max_runs = 2;
    worker_host host(db.conninfo(), options);
    auto a = host.worker().reserve();
    auto b = host.worker().reserve();
    REQUIRE(a);
    REQUIRE(b);
    CHECK_FALSE(host.worker().reserve()); // full: the caller queues its run instead
    b.reset();                            // its transaction failed: nothing stored
    auto c = host.worker().reserve();
    CHECK(c);
}

TEST_CASE("a draining host reserves no hand-off, and a run handed to it during the drain goes back to the queue") {
    runtime_db db;
    db.publish(log_graph());
    auto options = fast_options("h1");
    options.poll_interval = 60s;
    worker_host host(db.conninfo(), options);
    auto h = host.worker().reserve();
    REQUIRE(h);
    auto id = store_handed_off(db, *h, 1);
    std::promise<void> drained;
    host.worker().drain(100ms, [&] { drained.set_value(); });
    REQUIRE(drained.get_future().wait_for(5s) == std::future_status::ready);
    CHECK_FALSE(host.worker().reserve());
    h->start(); // committed before the drain was seen: released for another host
    REQUIRE(db.wait_count("SELECT count(*) FROM runs WHERE status = 'queued' AND lease_owner IS NULL AND id = '" + id +
                              "'",
                          1, 5s));
}
