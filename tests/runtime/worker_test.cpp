// The worker in-process with the real bundled plugins: what it stores, how it resumes after a
// host died, parked delays, cancel requests and drain.
#include <future>
#include <map>

#include <catch2/catch.hpp>

#include "runtime_fixture.hpp"
#include "store/store_error.hpp"

using namespace sr::test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

// trigger -> call (side effect) -> shape (transform) -> done (log)
json::value effect_graph(const effect_server& server) {
    return json::object{
        {"nodes", json::array{graph_node("trigger", "system.manual"),
                              graph_node("call", "system.http_request",
                                         {{"method", "POST"}, {"url", server.url("/effect")}, {"body", "{{trigger}}"}}),
                              graph_node("shape", "system.transform",
                                         {{"output", {{"status", "{{call.output.status}}"}, {"n", "{{trigger.n}}"}}}}),
                              graph_node("done", "system.log", {{"message", "n={{shape.output.n}}"}})}},
        {"edges", json::array{graph_edge("trigger", "call"), graph_edge("call", "shape"), graph_edge("shape", "done")}}};
}

} // namespace

TEST_CASE("a queued run is executed and every node's record is stored") {
    runtime_db db;
    effect_server server;
    db.publish(effect_graph(server));
    auto run = db.enqueue(json::object{{"n", 7}});
    worker_host host(db.conninfo(), fast_options("h1"));
    REQUIRE(db.wait_count("SELECT count(*) FROM runs WHERE status = 'succeeded'", 1, 10s));
    CHECK(db.count("SELECT count(*) FROM node_runs WHERE run_id = '" + run + "'") == 4);
    CHECK(db.scalar("SELECT output->>'n' FROM node_runs WHERE node_id = 'shape'") == "7");
    CHECK(db.scalar("SELECT input->>'method' FROM node_runs WHERE node_id = 'call'") == "POST");
    CHECK(db.scalar("SELECT idempotency_key FROM node_runs WHERE node_id = 'call'") == run + "/call");
    CHECK(db.scalar("SELECT lease_owner FROM runs") == "");
    CHECK(db.count("SELECT count(*) FROM runs WHERE finished_at IS NOT NULL AND duration_ms >= 0") == 1);
    CHECK(db.count("SELECT count(*) FROM run_logs WHERE run_id = '" + run + "' AND message = 'run succeeded'") == 1);
    CHECK(server.keys() == std::vector<std::string>{run + "/call"});
}

TEST_CASE("many runs complete, each side effect once, with one node record per node, through one writer lane or several") {
    const std::size_t lanes = GENERATE(1, 4);
    INFO("writer lanes: " << lanes);
    runtime_db db;
    effect_server server;
    db.publish(effect_graph(server));
    for (int i = 0; i < 200; ++i) db.enqueue(json::object{{"n", i}});
    auto options = fast_options("h1");
    options.writer_lanes = lanes;
    worker_host host(db.conninfo(), options);
    REQUIRE(db.wait_count("SELECT count(*) FROM runs WHERE status = 'succeeded'", 200, 60s));
    CHECK(server.requests() == 200);
    CHECK(db.count("SELECT count(*) FROM (SELECT 1 FROM node_runs GROUP BY run_id, node_id HAVING count(*) > 1) d") == 0);
    CHECK(db.count("SELECT count(*) FROM node_runs") == 800);
}

TEST_CASE("a run taken over from a dead host does not repeat a side effect it had committed") {
    runtime_db db;
    effect_server server;
    db.publish(effect_graph(server));
    auto run = db.enqueue(json::object{{"n", 1}});
    // What a host that died after committing "call" leaves behind.
    db.exec("UPDATE runs SET status = 'running', lease_owner = 'dead', lease_expires_at = now() - interval '1 second'");
    db.exec("INSERT INTO node_runs (run_id, node_id, plugin_id, operation_id, status, output, attempt, idempotency_key) "
            "VALUES ('" + run + "', 'call', 'system', 'http_request', 'succeeded', "
            "'{\"status\": 201, \"headers\": {}, \"body\": {}}', 1, '" + run + "/call')");
    worker_host host(db.conninfo(), fast_options("h2"));
    REQUIRE(db.wait_count("SELECT count(*) FROM runs WHERE status = 'succeeded'", 1, 10s));
    CHECK(server.requests() == 0);
    CHECK(db.scalar("SELECT output->>'status' FROM node_runs WHERE node_id = 'shape'") == "201");
    CHECK(db.scalar("SELECT attempt FROM runs") == "2");
    CHECK(db.count("SELECT count(*) FROM node_runs WHERE node_id = 'call'") == 1);
}

TEST_CASE("a side effect in flight when its host died runs again with the same idempotency key") {
    runtime_db db;
    effect_server server;
    db.publish(effect_graph(server));
    auto run = db.enqueue(json::object{{"n", 1}});
    db.exec("UPDATE runs SET status = 'running', lease_owner = 'dead', lease_expires_at = now() - interval '1 second'");
    worker_host host(db.conninfo(), fast_options("h2"));
    REQUIRE(db.wait_count("SELECT count(*) FROM runs WHERE status = 'succeeded'", 1, 10s));
    CHECK(server.keys() == std::vector<std::string>{run + "/call"});
}

TEST_CASE("a long delay parks the run in the database and the run continues when it is due") {
    runtime_db db;
    json::value graph = json::object{
        {"nodes", json::array{graph_node("trigger", "system.manual"), graph_node("wait", "system.delay", {{"seconds", 2}}),
                              graph_node("after", "system.log", {{"message", "later"}})}},
        {"edges", json::array{graph_edge("trigger", "wait"), graph_edge("wait", "after")}}};
    db.publish(graph);
    auto run = db.enqueue();
    worker_host host(db.conninfo(), fast_options("h1"));
    REQUIRE(db.wait_count("SELECT count(*) FROM runs WHERE status = 'waiting' AND lease_owner IS NULL", 1, 5s));
    CHECK(host.worker().active() == 0); // nothing held in memory while it waits
    CHECK(db.count("SELECT count(*) FROM node_runs WHERE node_id = 'wait' AND status = 'waiting' "
                   "AND resume_at > now()") == 1);
    REQUIRE(db.wait_count("SELECT count(*) FROM runs WHERE status = 'succeeded'", 1, 10s));
    CHECK(db.count("SELECT count(*) FROM node_runs WHERE node_id = 'after' AND status = 'succeeded'") == 1);
    CHECK(db.count("SELECT count(*) FROM node_runs WHERE node_id = 'wait'") == 1);
    CHECK(db.scalar("SELECT status FROM node_runs WHERE node_id = 'wait'") == "succeeded");
}

TEST_CASE("a cancel request stops a running run at a node boundary") {
    runtime_db db;
    json::value graph = json::object{
        {"nodes", json::array{graph_node("trigger", "system.manual"), graph_node("wait", "system.delay", {{"seconds", 3}}),
                              graph_node("after", "system.log", {{"message", "never"}})}},
        {"edges", json::array{graph_edge("trigger", "wait"), graph_edge("wait", "after")}}};
    db.publish(graph);
    auto run = db.enqueue();
    auto options = fast_options("h1");
    options.park_after_ms = 60'000; // keep it in memory
    worker_host host(db.conninfo(), options);
    REQUIRE(db.wait_count("SELECT count(*) FROM runs WHERE status = 'running'", 1, 5s));
    db.exec("UPDATE runs SET cancel_requested_at = now()");
    REQUIRE(db.wait_count("SELECT count(*) FROM runs WHERE status = 'cancelled'", 1, 5s));
    CHECK(db.count("SELECT count(*) FROM node_runs WHERE node_id = 'after' AND status = 'succeeded'") == 0);
}

TEST_CASE("a run whose version no longer compiles fails with a clear error instead of hanging") {
    runtime_db db;
    json::value graph = json::object{
        {"nodes", json::array{graph_node("trigger", "system.manual"), graph_node("x", "nosuchplugin.act")}},
        {"edges", json::array{graph_edge("trigger", "x")}}};
    db.publish(graph);
    db.enqueue();
    worker_host host(db.conninfo(), fast_options("h1"));
    REQUIRE(db.wait_count("SELECT count(*) FROM runs WHERE status = 'failed'", 1, 5s));
    CHECK(db.scalar("SELECT error_code FROM runs") == "plan_invalid");
    CHECK(db.scalar("SELECT error_message FROM runs").find("nosuchplugin") != std::string::npos);
}

TEST_CASE("a host that drains gives its unfinished runs back to the queue") {
    runtime_db db;
    json::value graph = json::object{
        {"nodes", json::array{graph_node("trigger", "system.manual"), graph_node("wait", "system.delay", {{"seconds", 30}})}},
        {"edges", json::array{graph_edge("trigger", "wait")}}};
    db.publish(graph);
    db.enqueue();
    {
        auto options = fast_options("h1");
        options.park_after_ms = 600'000;
        worker_host host(db.conninfo(), options);
        REQUIRE(db.wait_count("SELECT count(*) FROM runs WHERE status = 'running'", 1, 5s));
    } // drain with 1 s grace
    CHECK(db.count("SELECT count(*) FROM runs WHERE status = 'queued' AND lease_owner IS NULL") == 1);
}

TEST_CASE("a waiter learns the outcome of a run finished on this host") {
    runtime_db db;
    effect_server server;
    db.publish(effect_graph(server));
    worker_host host(db.conninfo(), fast_options("h1"));
    std::promise<std::optional<sr::host::run_outcome>> got;
    // Registered before the run can be claimed, as a sync webhook does inside its transaction.
    pqxx::connection conn(db.conninfo());
    pqxx::work tx(conn);
    sr::host::new_run r;
    r.scenario_id = db.scenario_id();
    r.trigger_kind = "webhook";
    r.trigger_data = json::object{{"n", 3}};
    auto queued = sr::host::enqueue_run(tx, r);
    host.waiters().wait(queued.run_id, 10s, [&got](std::optional<sr::host::run_outcome> o) { got.set_value(std::move(o)); });
    tx.commit();
    auto future = got.get_future();
    REQUIRE(future.wait_for(15s) == std::future_status::ready);
    auto outcome = future.get();
    REQUIRE(outcome);
    CHECK(outcome->status == "succeeded");
    CHECK(outcome->run_id == queued.run_id);
}

TEST_CASE("a failed run retried with edited settings continues from its failed node") {
    runtime_db db;
    effect_server server;
    json::value graph = json::object{
        {"nodes", json::array{graph_node("trigger", "system.manual"),
                              graph_node("call", "system.http_request", {{"method", "POST"}, {"url", server.url("/e")}}),
                              graph_node("pause", "system.delay", json::object{}), // invalid: needs seconds or until
                              graph_node("done", "system.log", {{"message", "after the pause"}})}},
        {"edges", json::array{graph_edge("trigger", "call"), graph_edge("call", "pause"), graph_edge("pause", "done")}}};
    db.publish(graph);
    auto run = db.enqueue();
    worker_host host(db.conninfo(), fast_options("h1"));
    REQUIRE(db.wait_count("SELECT count(*) FROM runs WHERE status = 'failed'", 1, 10s));
    CHECK(db.scalar("SELECT error_node_id FROM runs") == "pause");
    CHECK(server.requests() == 1);
    {
        pqxx::connection conn(db.conninfo());
        pqxx::work tx(conn);
        sr::host::retry_run(tx, run, json::object{{"pause", {{"seconds", 0}}}});
        tx.commit();
    }
    REQUIRE(db.wait_count("SELECT count(*) FROM runs WHERE status = 'succeeded'", 1, 10s));
    CHECK(server.requests() == 1); // the side effect that had succeeded was replayed, not repeated
    CHECK(db.count("SELECT count(*) FROM node_runs WHERE node_id = 'done' AND status = 'succeeded'") == 1);
    CHECK(db.scalar("SELECT error_code FROM runs") == "");
}

TEST_CASE("only a failed or incomplete run can be retried") {
    runtime_db db;
    db.publish(json::object{{"nodes", json::array{graph_node("trigger", "system.manual")}}, {"edges", json::array{}}});
    auto run = db.enqueue();
    pqxx::connection conn(db.conninfo());
    auto code = [&](const std::string& id, json::value settings) {
        try {
            pqxx::work tx(conn);
            sr::host::retry_run(tx, id, settings);
        } catch (const sr::host::store_error& e) {
            return e.code;
        }
        return std::string("none");
    };
    CHECK(code(run, nullptr) == "conflict"); // still queued
    CHECK(code("00000000-0000-0000-0000-000000000000", nullptr) == "not_found");
    CHECK(code("nonsense", nullptr) == "not_found");
    db.exec("UPDATE runs SET status = 'failed'");
    CHECK(code(run, json::array{1}) == "invalid_input");
}
