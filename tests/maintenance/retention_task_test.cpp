// scenariod's retention timer (retention_task) on a real io_context, db_pool and PostgreSQL.
#include <future>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "db/db_pool.hpp"
#include "io_drain.hpp"
#include "maintenance/retention_task.hpp"
#include "retention_fixture.hpp"

using namespace sr::host;
using sr::test::retention_db;
namespace net = boost::asio;

namespace {

// A retention task on its own io_context thread and pool; reports arrive through a future.
struct running_task {
    net::io_context ioc;
    net::executor_work_guard<net::io_context::executor_type> guard = net::make_work_guard(ioc);
    db_pool pool;
    std::promise<prune_report> first;
    std::vector<std::string> errors;
    std::shared_ptr<retention_task> task;
    std::vector<std::thread> threads;

    running_task(const std::string& conninfo, retention_config config) : pool(conninfo, 2) {
        task = retention_task::create(
            ioc, pool, config,
            [this, reported = false](const prune_report& r) mutable {
                if (!std::exchange(reported, true)) first.set_value(r);
            },
            [this](const std::string& m) { errors.push_back(m); });
        task->start();
        threads.emplace_back([this] { ioc.run(); });
    }
    ~running_task() {
        task->stop();
        sr::test::drain(ioc, guard, threads);
    }
};

retention_config quick(std::size_t days, std::size_t batch) {
    retention_config c;
    c.days = days;
    c.batch = batch;
    c.first_delay = std::chrono::milliseconds(0);
    c.interval = std::chrono::hours(1);
    c.batch_pause = std::chrono::milliseconds(1);
    return c;
}

} // namespace

TEST_CASE("the retention task deletes old finished runs in batches on the pool and reports the pass") {
    retention_db r;
    r.add_finished_runs(12, "40 days");
    r.add_run("running", "40 days", "");
    r.add_run("succeeded", "1 day", "1 day");
    running_task t(r.s.db.conninfo(), quick(30, 5));
    auto future = t.first.get_future();
    REQUIRE(future.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
    auto report = future.get();
    CHECK_FALSE(report.skipped);
    CHECK(report.deleted == 12);
    CHECK(report.batches == 3);
    CHECK(report.complete);
    CHECK(t.errors.empty());
    CHECK(r.count("SELECT count(*) FROM runs") == 2);
    CHECK(r.count("SELECT count(*) FROM node_runs") == 4);
}

TEST_CASE("the retention task skips its pass while another host holds the retention lock") {
    retention_db r;
    r.add_finished_runs(3, "40 days");
    pqxx::connection other(r.s.db.conninfo());
    run_pruner holder(other);
    REQUIRE(holder.try_lock());
    running_task t(r.s.db.conninfo(), quick(30, 5));
    auto future = t.first.get_future();
    REQUIRE(future.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
    CHECK(future.get().skipped);
    CHECK(r.count("SELECT count(*) FROM runs") == 3);
}

TEST_CASE("with retention 0 the task never deletes anything") {
    retention_db r;
    r.add_finished_runs(3, "4000 days");
    {
        running_task t(r.s.db.conninfo(), quick(0, 5));
        auto future = t.first.get_future();
        CHECK(future.wait_for(std::chrono::milliseconds(500)) == std::future_status::timeout);
    }
    CHECK(r.count("SELECT count(*) FROM runs") == 3);
}
