// Run logs: what a finished run's record says about each node and what its plugins logged, and
// the bounded in-memory book that collects plugin lines while the run executes.
#include <catch2/catch.hpp>

#include "runtime/run_log_book.hpp"
#include "runtime/run_log_lines.hpp"
#include "runtime_fixture.hpp"

using namespace sr::test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {
// A run's stored log, one "node|level|message" per line ("-" for no node), in stored order.
std::string stored_lines(runtime_db& db, const std::string& run) {
    return db.scalar("SELECT string_agg(coalesce(node_id, '-') || '|' || level || '|' || message, E'\\n' "
                     "ORDER BY id) FROM run_logs WHERE run_id = '" + run + "'");
}
} // namespace

TEST_CASE("at debug level a finished run's log has each node's outcome and its plugins' lines in order, with the correlation id") {
    runtime_db db;
    db.publish(json::object{
        {"nodes", json::array{graph_node("trigger", "system.manual"),
                              graph_node("say", "system.log", {{"message", "hello {{trigger.n}}"}, {"level", "warn"}}),
                              graph_node("shape", "system.transform", {{"output", {{"n", "{{trigger.n}}"}}}})}},
        {"edges", json::array{graph_edge("trigger", "say"), graph_edge("say", "shape")}}});
    auto run = db.enqueue(json::object{{"n", 7}});
    auto options = fast_options("h1");
    options.run_log_level = SR_LOG_DEBUG;
    worker_host host(db.conninfo(), options);
    REQUIRE(db.wait_count("SELECT count(*) FROM runs WHERE status = 'succeeded'", 1, 10s));
    auto lines = stored_lines(db, run);
    INFO(lines);
    auto at = [&](const std::string& text) { return lines.find(text); };
    REQUIRE(at("say|warn|hello 7") != std::string::npos);
    REQUIRE(at("say|debug|node say succeeded") != std::string::npos);
    REQUIRE(at("shape|debug|node shape succeeded") != std::string::npos);
    REQUIRE(at("-|info|run succeeded") != std::string::npos);
    CHECK(at("say|warn|hello 7") < at("say|debug|node say succeeded"));
    CHECK(at("say|debug|node say succeeded") < at("shape|debug|node shape succeeded"));
    CHECK(at("shape|debug|node shape succeeded") < at("-|info|run succeeded"));
    CHECK(db.count("SELECT count(*) FROM run_logs l JOIN runs r ON r.id = l.run_id "
                   "WHERE l.correlation_id IS DISTINCT FROM r.correlation_id") == 0);
    CHECK(db.count("SELECT count(*) FROM run_logs WHERE node_id = 'shape' AND (data->>'duration_ms')::int >= 0 "
                   "AND (data->>'attempts')::int = 1") == 1);
}

TEST_CASE("at the default info level a run's log keeps plugin lines and the run's outcome, not routine node successes") {
    runtime_db db;
    db.publish(json::object{
        {"nodes", json::array{graph_node("trigger", "system.manual"),
                              graph_node("say", "system.log", {{"message", "hello {{trigger.n}}"}, {"level", "info"}}),
                              graph_node("quiet", "system.log", {{"message", "detail"}, {"level", "debug"}}),
                              graph_node("shape", "system.transform", {{"output", {{"n", "{{trigger.n}}"}}}})}},
        {"edges", json::array{graph_edge("trigger", "say"), graph_edge("say", "quiet"), graph_edge("quiet", "shape")}}});
    auto run = db.enqueue(json::object{{"n", 3}});
    worker_host host(db.conninfo(), fast_options("h1"));
    REQUIRE(db.wait_count("SELECT count(*) FROM runs WHERE status = 'succeeded'", 1, 10s));
    auto lines = stored_lines(db, run);
    CHECK(lines == "say|info|hello 3\n-|info|run succeeded");
    // The node records still say what ran, with attempts and durations.
    CHECK(db.count("SELECT count(*) FROM node_runs WHERE run_id = '" + run + "' AND status = 'succeeded'") == 4);
}

TEST_CASE("at warn level an info line of a plugin is not stored, a failure is") {
    runtime_db db;
    db.publish(json::object{
        {"nodes", json::array{graph_node("trigger", "system.manual"), graph_node("say", "system.log", {{"message", "hi"}}),
                              graph_node("boom", "system.fail", {{"code", "order_rejected"}, {"message", "no stock"}})}},
        {"edges", json::array{graph_edge("trigger", "say"), graph_edge("say", "boom")}}});
    auto run = db.enqueue();
    auto options = fast_options("h1");
    options.run_log_level = SR_LOG_WARN;
    worker_host host(db.conninfo(), options);
    REQUIRE(db.wait_count("SELECT count(*) FROM runs WHERE status = 'failed'", 1, 10s));
    auto lines = stored_lines(db, run);
    CHECK(lines == "boom|error|node boom failed: order_rejected: no stock\nboom|error|run failed: order_rejected");
}

TEST_CASE("lines plugins logged before a run was parked are in its log with those logged after it resumed") {
    runtime_db db;
    db.publish(json::object{
        {"nodes", json::array{graph_node("trigger", "system.manual"), graph_node("before", "system.log", {{"message", "first"}}),
                              graph_node("wait", "system.delay", {{"seconds", 2}}),
                              graph_node("after", "system.log", {{"message", "second"}})}},
        {"edges", json::array{graph_edge("trigger", "before"), graph_edge("before", "wait"), graph_edge("wait", "after")}}});
    auto run = db.enqueue();
    worker_host host(db.conninfo(), fast_options("h1"));
    REQUIRE(db.wait_count("SELECT count(*) FROM runs WHERE status = 'waiting' AND lease_owner IS NULL", 1, 5s));
    // Stored with the park: nothing of the run is held in memory while it waits.
    CHECK(db.count("SELECT count(*) FROM run_logs WHERE node_id = 'before' AND message = 'first'") == 1);
    REQUIRE(db.wait_count("SELECT count(*) FROM runs WHERE status = 'succeeded'", 1, 10s));
    auto lines = db.scalar("SELECT string_agg(coalesce(node_id, '-') || '|' || message, E'\\n' ORDER BY id) "
                           "FROM run_logs WHERE run_id = '" + run + "'");
    INFO(lines);
    // system.log has no side effects, so the resumed run recomputes it instead of replaying a
    // record, and it logs again: the log tells each time it ran, the first one stored with the park.
    CHECK(db.count("SELECT count(*) FROM run_logs WHERE message = 'first'") == 2);
    CHECK(db.count("SELECT count(*) FROM run_logs WHERE message = 'second'") == 1);
    auto at = [&](const std::string& text) { return lines.find(text); };
    REQUIRE(at("before|first") != std::string::npos);
    REQUIRE(at("after|second") != std::string::npos);
    CHECK(at("before|first") < at("after|second"));
}

TEST_CASE("a failed node's log line carries its error code and message") {
    runtime_db db;
    db.publish(json::object{
        {"nodes", json::array{graph_node("trigger", "system.manual"),
                              graph_node("boom", "system.fail", {{"code", "order_rejected"}, {"message", "no stock"}})}},
        {"edges", json::array{graph_edge("trigger", "boom")}}});
    auto run = db.enqueue();
    worker_host host(db.conninfo(), fast_options("h1"));
    REQUIRE(db.wait_count("SELECT count(*) FROM runs WHERE status = 'failed'", 1, 10s));
    CHECK(db.scalar("SELECT message FROM run_logs WHERE node_id = 'boom' AND level = 'error' AND run_id = '" + run +
                    "' ORDER BY id LIMIT 1") == "node boom failed: order_rejected: no stock");
    CHECK(db.scalar("SELECT data->>'error_code' FROM run_logs WHERE node_id = 'boom' AND level = 'error' "
                    "ORDER BY id LIMIT 1") == "order_rejected");
}

TEST_CASE("the run log book keeps lines only for open runs and hands them over once") {
    sr::host::run_log_book book;
    book.add("r1", "n", SR_LOG_INFO, "before open");
    book.open("r1");
    book.add("r1", "n", SR_LOG_ERROR, "kept");
    book.add("r2", "n", SR_LOG_INFO, "not open");
    auto lines = book.take("r1");
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].message == "kept");
    CHECK(lines[0].level == SR_LOG_ERROR);
    CHECK(lines[0].at_ms > 0);
    CHECK(book.take("r1").empty());
    CHECK(book.take("r2").empty());
}

TEST_CASE("the run log book bounds each run's lines and their length, and says how many it dropped") {
    sr::host::run_log_book book;
    book.open("r");
    std::string long_line(5000, 'x');
    long_line += "\xc3\xa9"; // a two-byte character past the cut
    for (std::size_t i = 0; i < sr::host::run_log_book::max_lines_per_run + 5; ++i) book.add("r", "", SR_LOG_INFO, long_line);
    auto lines = book.take("r");
    REQUIRE(lines.size() == sr::host::run_log_book::max_lines_per_run + 1);
    CHECK(lines[0].message.size() <= sr::host::run_log_book::max_message_bytes + 3);
    CHECK(lines.back().message.rfind("5 more log lines", 0) == 0);
    CHECK(lines.back().level == SR_LOG_WARN);
}

TEST_CASE("a cut log message never ends inside a UTF-8 character") {
    sr::host::run_log_book book;
    book.open("r");
    std::string text(sr::host::run_log_book::max_message_bytes - 1, 'a');
    text += "\xc3\xa9\xc3\xa9"; // the cut falls inside the first é
    book.add("r", "", SR_LOG_INFO, text);
    auto lines = book.take("r");
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].message == std::string(sr::host::run_log_book::max_message_bytes - 1, 'a') + "...");
}

TEST_CASE("run log lines are in time order, a plugin's line before its node's outcome in the same millisecond") {
    using namespace sr::core::engine;
    run_report report;
    report.finished_ms = 3000;
    node_report a;
    a.node_id = "a";
    a.status = node_status::succeeded;
    a.attempts = 2;
    a.started_ms = 1000;
    a.finished_ms = 2000;
    node_report skipped;
    skipped.node_id = "b";
    skipped.status = node_status::skipped;
    node_report pending;
    pending.node_id = "c";
    report.nodes = {skipped, a, pending};
    std::vector<sr::host::run_log_line> plugin{{"a", SR_LOG_INFO, "from a", 2000}, {"a", SR_LOG_DEBUG, "early", 1500}};
    report.status = run_status::succeeded;
    auto rows = sr::host::run_log_lines(report, plugin, SR_LOG_DEBUG);
    REQUIRE(rows.size() == 5);
    CHECK(rows[0].message == "early");
    CHECK(rows[1].message == "from a");
    CHECK(rows[2].message == "node a succeeded after 2 attempts");
    CHECK(rows[2].level == "info");
    CHECK(rows[2].data.at("duration_ms").as_int64() == 1000);
    CHECK(rows[3].message == "node b skipped (its branch was not taken)");
    CHECK(rows[3].level == "debug");
    CHECK(rows[3].at_ms == 3000);
    CHECK(rows[4].message == "run succeeded");
    CHECK(rows[4].at_ms == 3000);

    // At info the debug lines go, the rest keep their order.
    auto info = sr::host::run_log_lines(report, plugin, SR_LOG_INFO);
    REQUIRE(info.size() == 3);
    CHECK(info[0].message == "from a");
    CHECK(info[1].message == "node a succeeded after 2 attempts");
    CHECK(info[2].message == "run succeeded");
}
