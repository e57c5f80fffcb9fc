// queue_signal: the wake-up busy producers send after their commit instead of a NOTIFY inside
// every transaction.
#include <atomic>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "runtime/queue_signal.hpp"
#include "runtime/run_queue.hpp"
#include "runtime_fixture.hpp"

using namespace sr::test;
using namespace std::chrono_literals;

namespace {

// Counts notifications on the run queue channel.
struct queue_watch : pqxx::notification_receiver {
    explicit queue_watch(pqxx::connection& c) : pqxx::notification_receiver(c, sr::host::run_queue_channel) {}
    void operator()(const std::string&, int) override { ++seen; }
    int seen = 0;
};

int drain_notifications(pqxx::connection& conn, queue_watch&) {
    int batches = 0;
    while (conn.await_notification(1, 0) > 0) ++batches;
    return batches;
}

} // namespace

TEST_CASE("each queued run wakes this host at once, and other hosts by one NOTIFY per interval") {
    runtime_db db;
    pqxx::connection listener(db.conninfo());
    queue_watch watch(listener);
    pqxx::connection producer(db.conninfo());
    sr::host::queue_signal signal(1h);
    std::atomic<int> local{0};
    signal.set_local_wake([&local] { ++local; });
    for (int i = 0; i < 50; ++i) signal.queued(producer);
    CHECK(local == 50);
    CHECK(signal.notifies_sent() == 1);
    drain_notifications(listener, watch);
    CHECK(watch.seen == 1);
}

TEST_CASE("with no interval every queued run NOTIFYs") {
    runtime_db db;
    pqxx::connection listener(db.conninfo());
    queue_watch watch(listener);
    pqxx::connection producer(db.conninfo());
    sr::host::queue_signal signal(0ms);
    for (int i = 0; i < 3; ++i) signal.queued(producer);
    CHECK(signal.notifies_sent() == 3);
    drain_notifications(listener, watch);
    CHECK(watch.seen == 3);
}

TEST_CASE("a run queued without notify sends no NOTIFY at its commit") {
    runtime_db db;
    db.publish(boost::json::object{{"nodes", boost::json::array{graph_node("trigger", "system.manual")}},
                                   {"edges", boost::json::array{}}});
    pqxx::connection listener(db.conninfo());
    queue_watch watch(listener);
    {
        pqxx::connection conn(db.conninfo());
        pqxx::work tx(conn);
        sr::host::new_run quiet;
        quiet.scenario_id = db.scenario_id();
        quiet.trigger_kind = "webhook";
        quiet.notify = false;
        sr::host::enqueue_run(tx, quiet);
        tx.commit();
    }
    drain_notifications(listener, watch);
    CHECK(watch.seen == 0);
    {
        pqxx::connection conn(db.conninfo());
        pqxx::work tx(conn);
        sr::host::new_run loud;
        loud.scenario_id = db.scenario_id();
        loud.trigger_kind = "webhook";
        sr::host::enqueue_run(tx, loud);
        tx.commit();
    }
    drain_notifications(listener, watch);
    CHECK(watch.seen == 1);
    CHECK(db.count("SELECT count(*) FROM runs WHERE status = 'queued'") == 2);
}

TEST_CASE("a NOTIFY that fails does not throw from queued() and the local wake still happens") {
    runtime_db db;
    pqxx::connection producer(db.conninfo());
    auto pid = std::to_string(producer.backendpid());
    db.exec("SELECT pg_terminate_backend(" + pid + ")"); // the database goes away under it
    sr::host::queue_signal signal(0ms);
    int local = 0;
    signal.set_local_wake([&local] { ++local; });
    CHECK_NOTHROW(signal.queued(producer));
    CHECK(local == 1);
    CHECK(signal.notifies_sent() == 0);
}
