// Three scenariod processes share one PostgreSQL; one is killed with SIGKILL in the middle of
// the load. Every run must complete, no committed side effect may run again, and every side
// effect must carry one stable idempotency key, so effects counted by key are one each.
#include <csignal>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "process.hpp"
#include "runtime_fixture.hpp"
#include "test_paths.hpp"

using namespace sr::test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

const int run_count = std::getenv("SR_MULTI_HOST_RUNS") ? std::atoi(std::getenv("SR_MULTI_HOST_RUNS")) : 2000;

// trigger -> call_a (side effect) -> shape -> call_b (side effect) -> done: five nodes.
json::value five_node_graph(const effect_server& server) {
    return json::object{
        {"nodes", json::array{graph_node("trigger", "system.manual"),
                              graph_node("call_a", "system.http_request",
                                         {{"method", "POST"}, {"url", server.url("/a")}, {"body", "{{trigger}}"}}),
                              graph_node("shape", "system.transform", {{"output", {{"n", "{{trigger.n}}"}}}}),
                              graph_node("call_b", "system.http_request",
                                         {{"method", "POST"}, {"url", server.url("/b")}, {"body", "{{shape.output}}"}}),
                              graph_node("done", "system.log", {{"message", "n={{shape.output.n}}"}})}},
        {"edges", json::array{graph_edge("trigger", "call_a"), graph_edge("call_a", "shape"),
                              graph_edge("shape", "call_b"), graph_edge("call_b", "done")}}};
}

// What to print when the load does not finish: the runs by status and each host's last words.
std::string diagnosis(runtime_db& db, const std::vector<std::unique_ptr<child_process>>& hosts) {
    std::string text = "runs by status: " +
                       db.scalar("SELECT string_agg(status || '=' || n, ', ') FROM "
                                 "(SELECT status, count(*) AS n FROM runs GROUP BY status) s");
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        auto out = hosts[i]->output();
        if (out.size() > 1500) out = out.substr(out.size() - 1500);
        text += "\nhost-" + std::to_string(i + 1) + ":\n" + out;
    }
    return text;
}

std::map<std::string, int> count_keys(const std::vector<std::string>& keys) {
    std::map<std::string, int> counts;
    for (const auto& k : keys) ++counts[k];
    return counts;
}

} // namespace

TEST_CASE("three hosts share the work and a host killed mid-load loses and repeats nothing") {
    runtime_db db;
    effect_server server;
    db.publish(five_node_graph(server));
    {
        pqxx::connection conn(db.conninfo());
        pqxx::work tx(conn);
        for (int i = 0; i < run_count; ++i) {
            sr::host::new_run r;
            r.scenario_id = db.scenario_id();
            r.trigger_kind = "api";
            r.trigger_data = json::object{{"n", i}};
            sr::host::enqueue_run(tx, r);
        }
        tx.commit();
    }
    auto dir = temp_dir("multi-host");
    std::vector<std::unique_ptr<child_process>> hosts;
    for (int i = 1; i <= 3; ++i) {
        auto name = "host-" + std::to_string(i);
        hosts.push_back(std::make_unique<child_process>(
            bin_dir() / "scenariod",
            std::vector<std::string>{"--listen", "127.0.0.1:0", "--data-dir", (dir / name).string(), "--host-id", name,
                                     "--lease-seconds", "3", "--max-runs", "64"},
            std::map<std::string, std::string>{{"SR_DATABASE_URL", db.conninfo()}}, dir / (name + ".log")));
    }
    // Kill host-2 once a third of the runs are done.
    bool third_done = db.wait_count("SELECT least(count(*), " + std::to_string(run_count / 3) +
                                        ") FROM runs WHERE status = 'succeeded'",
                                    run_count / 3, 120s);
    INFO(diagnosis(db, hosts));
    REQUIRE(third_done);
    hosts[1]->signal(SIGKILL);
    hosts[1]->wait(5s);
    // Side effects committed at the moment of the kill, then what the service had seen: a
    // committed effect was requested before its commit, so its count can only stay the same.
    std::set<std::string> committed;
    {
        pqxx::connection conn(db.conninfo());
        pqxx::nontransaction tx(conn);
        for (const auto& row : tx.exec("SELECT idempotency_key FROM node_runs "
                                       "WHERE node_id IN ('call_a', 'call_b') AND status = 'succeeded'"))
            committed.insert(row[0].as<std::string>());
    }
    auto at_kill = count_keys(server.keys());

    bool all_done = db.wait_count("SELECT count(*) FROM runs WHERE status = 'succeeded'", run_count, 180s);
    INFO(diagnosis(db, hosts));
    REQUIRE(all_done);
    auto final_counts = count_keys(server.keys());

    // Every run and node: one key, one effect by key.
    CHECK(final_counts.size() == static_cast<std::size_t>(2 * run_count));
    CHECK(db.count("SELECT count(DISTINCT idempotency_key) FROM node_runs WHERE node_id IN ('call_a', 'call_b')") ==
          2 * run_count);
    for (const auto& [key, n] : final_counts) {
        INFO(key);
        CHECK(db.count("SELECT count(*) FROM node_runs WHERE idempotency_key = '" + key + "'") == 1);
    }
    // No committed node ran again.
    int repeated_after_commit = 0;
    for (const auto& key : committed)
        if (final_counts[key] != at_kill[key]) ++repeated_after_commit;
    CHECK(repeated_after_commit == 0);
    // A call repeats (with the same key) only when its run was taken over from another host:
    // the killed one, or a live one that could not renew a lease in time on a loaded machine.
    // Each takeover can repeat at most the one call the run had in flight.
    int repeated = 0;
    for (const auto& [key, n] : final_counts) {
        if (n == 1) continue;
        ++repeated;
        INFO(key);
        CHECK(db.count("SELECT r.attempt FROM runs r JOIN node_runs n ON n.run_id = r.id "
                       "WHERE n.idempotency_key = '" + key + "'") > 1);
    }
    CHECK(repeated <= db.count("SELECT coalesce(sum(attempt - 1), 0) FROM runs"));
    CHECK(db.count("SELECT count(*) FROM runs WHERE attempt > 1") >= 1);
    // One record per run and node, all five nodes of every run.
    CHECK(db.count("SELECT count(*) FROM (SELECT 1 FROM node_runs GROUP BY run_id, node_id HAVING count(*) > 1) d") ==
          0);
    CHECK(db.count("SELECT count(*) FROM node_runs") == 5 * run_count);
    // The killed host's runs were taken over (their attempt went up) and nothing is left leased.
    CHECK(db.count("SELECT count(*) FROM runs WHERE lease_owner IS NOT NULL") == 0);
    for (std::size_t i : {0u, 2u}) {
        hosts[i]->signal(SIGTERM);
        CHECK(hosts[i]->wait(20s) == 0);
    }
}
