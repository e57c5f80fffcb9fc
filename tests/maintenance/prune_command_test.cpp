// `scenarioctl runs prune` and scenariod's retention pass, as real processes.
#include <csignal>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "maintenance/run_pruner.hpp"
#include "process.hpp"
#include "retention_fixture.hpp"
#include "test_paths.hpp"

using namespace sr::test;
namespace json = boost::json;

namespace {

run_result ctl(const std::string& db, std::vector<std::string> args) {
    return run_to_end(bin_dir() / "scenarioctl", args, {{"SR_DATABASE_URL", db}}, std::chrono::seconds(60));
}

json::value json_of(const run_result& r) {
    auto text = r.output;
    while (!text.empty() && text.back() == '\n') text.pop_back();
    auto nl = text.rfind('\n');
    return json::parse(nl == std::string::npos ? text : text.substr(nl + 1));
}

} // namespace

TEST_CASE("scenarioctl runs prune deletes finished runs older than the given days and prints what it did") {
    retention_db r;
    r.add_finished_runs(5, "10 days");
    r.add_run("waiting", "10 days", "");
    r.add_run("succeeded", "2 days", "2 days");
    auto out = ctl(r.s.db.conninfo(), {"runs", "prune", "--older-than", "7", "--batch", "2"});
    INFO(out.output);
    REQUIRE(out.exit_code == 0);
    auto report = json_of(out);
    CHECK(report.at("skipped") == false);
    CHECK(report.at("deleted") == 5);
    CHECK(report.at("batches") == 3);
    CHECK(r.count("SELECT count(*) FROM runs") == 2);
    CHECK(r.count("SELECT count(*) FROM run_logs") == 6);
}

TEST_CASE("scenarioctl runs prune does nothing while another host is pruning") {
    retention_db r;
    r.add_finished_runs(2, "10 days");
    pqxx::connection other(r.s.db.conninfo());
    sr::host::run_pruner holder(other);
    REQUIRE(holder.try_lock());
    auto out = ctl(r.s.db.conninfo(), {"runs", "prune", "--older-than", "7"});
    INFO(out.output);
    REQUIRE(out.exit_code == 0);
    CHECK(json_of(out).at("skipped") == true);
    CHECK(r.count("SELECT count(*) FROM runs") == 2);
}

TEST_CASE("scenarioctl runs prune refuses a missing or malformed age and batch") {
    retention_db r;
    for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
             {"runs", "prune"},
             {"runs", "prune", "--older-than"},
             {"runs", "prune", "--older-than", "seven"},
             {"runs", "prune", "--older-than", "-1"},
             {"runs", "prune", "--older-than", "7", "--batch", "0"},
             {"runs", "prune", "--older-than", "7", "--bogus", "1"}}) {
        auto out = ctl(r.s.db.conninfo(), args);
        INFO(out.output);
        CHECK(out.exit_code == 2);
    }
    // `runs list` is still reached through the one-word command.
    CHECK(ctl(r.s.db.conninfo(), {"runs", "list", "--scenario", r.scenario}).exit_code == 0);
}

TEST_CASE("scenariod started with --retention-days prunes old finished runs in the background") {
    retention_db r;
    r.add_finished_runs(3, "10 days");
    // Pending (a paused scenario's run): no worker claims it, and retention must keep it.
    r.add_run("pending", "10 days", "");
    auto dir = temp_dir("retention-daemon");
    child_process daemon(bin_dir() / "scenariod",
                         {"--listen", "127.0.0.1:0", "--plugins", plugin_dir().string(), "--data-dir",
                          (dir / "data").string(), "--retention-days", "7"},
                         {{"SR_DATABASE_URL", r.s.db.conninfo()}}, dir / "scenariod.log");
    // The first pass runs a few seconds after start.
    bool pruned = daemon.wait_for_output("deleted 3 finished runs", std::chrono::seconds(60));
    INFO(daemon.output());
    CHECK(pruned);
    CHECK(r.count("SELECT count(*) FROM runs") == 1);
    CHECK(r.count("SELECT count(*) FROM runs WHERE status = 'pending'") == 1);
    daemon.signal(SIGTERM);
    CHECK(daemon.wait(std::chrono::seconds(30)) == 0);
}
