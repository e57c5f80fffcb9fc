// The timer-driven firer, as hosts run it: two firers with their own pools (two hosts) on
// one database fire each slot exactly once.
#include <atomic>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "db/db_pool.hpp"
#include "trigger_fixtures.hpp"
#include "triggers/schedule_firer.hpp"

namespace net = boost::asio;
using namespace std::chrono_literals;

namespace {

// One "host": an io_context on its own thread, a db_pool and a firer. Stopping drains the pool
// before the io_context so every pass's report reaches the counters.
class firer_host {
public:
    firer_host(const std::string& conninfo, sr::host::schedule_firer_config config)
        : guard_(net::make_work_guard(ioc_)), pool_(std::make_unique<sr::host::db_pool>(conninfo, 2)) {
        firer_ = sr::host::schedule_firer::create(
            ioc_, *pool_, config,
            [this](const sr::host::schedule_problem& p) {
                std::lock_guard lock(mutex_);
                problems_.push_back(p.schedule_id + ": " + p.message);
            },
            [this](const sr::host::schedule_pass_report& r) {
                created += r.runs_created;
                existing += r.runs_existing;
                if (r.schedules > 0) ++busy_passes;
            });
        thread_ = std::thread([this] { ioc_.run(); });
        firer_->start();
    }
    ~firer_host() { stop(); }

    void stop() {
        if (!thread_.joinable()) return;
        firer_->stop();
        pool_.reset(); // runs the pass in flight, if any
        guard_.reset();
        thread_.join();
    }
    std::vector<std::string> problems() {
        std::lock_guard lock(mutex_);
        return problems_;
    }

    std::atomic<std::size_t> created{0};
    std::atomic<std::size_t> existing{0};
    std::atomic<std::size_t> busy_passes{0};

private:
    net::io_context ioc_;
    net::executor_work_guard<net::io_context::executor_type> guard_;
    std::unique_ptr<sr::host::db_pool> pool_;
    std::shared_ptr<sr::host::schedule_firer> firer_;
    std::thread thread_;
    std::mutex mutex_;
    std::vector<std::string> problems_;
};

bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(20ms);
    }
    return done();
}

} // namespace

TEST_CASE("two hosts racing on the same due schedules produce exactly one run per slot") {
    sr::test::trigger_database db;
    auto scenario = db.create_scenario();
    auto start = db.scalar("SELECT to_char(date_trunc('second', now() - interval '20 seconds') AT TIME ZONE 'UTC', "
                           "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')");
    constexpr int schedules = 10;
    for (int i = 0; i < schedules; ++i)
        db.add_schedule(scenario, "s" + std::to_string(i), "* * * * * *", "'" + start + "'", "run_all");

    sr::host::schedule_firer_config config;
    config.max_interval = 10ms; // race hard: both hosts poll far more often than slots come
    config.pass.batch = 4;      // and each takes only part of the due rows
    {
        firer_host a(db.conninfo(), config);
        firer_host b(db.conninfo(), config);
        std::this_thread::sleep_for(2500ms);
        a.stop();
        b.stop();
        CHECK(a.existing == 0); // the row lock alone kept every slot single: the key never had to
        CHECK(b.existing == 0);
        CHECK(a.busy_passes > 0);
        CHECK(b.busy_passes > 0);
        for (const auto& problem : a.problems()) FAIL_CHECK("host a: " << problem);
        for (const auto& problem : b.problems()) FAIL_CHECK("host b: " << problem);
        CHECK(a.created + b.created == std::stoul(db.scalar("SELECT count(*) FROM runs")));
    }
    for (int i = 0; i < schedules; ++i) {
        auto node = "s" + std::to_string(i);
        auto slots = db.scheduled_slots(scenario, node);
        auto last = db.scalar("SELECT to_char(last_fired_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                              "FROM schedules WHERE node_id = '" + node + "'");
        auto span = std::stoul(db.scalar("SELECT extract(epoch FROM last_fired_at - '" + start +
                                         "'::timestamptz)::bigint FROM schedules WHERE node_id = '" + node + "'"));
        INFO(node);
        REQUIRE(slots.size() >= 21);
        CHECK(slots.front() == start);
        CHECK(slots.back() == last);
        CHECK(slots.size() == span + 1); // every second from start to the last firing, none twice
    }
}

TEST_CASE("the firer fires a due schedule on its own timer") {
    sr::test::trigger_database db;
    auto scenario = db.create_scenario();
    db.add_schedule(scenario, "tick", "* * * * * *", "now() + interval '1 second'", "skip");
    firer_host host(db.conninfo(), {});
    CHECK(wait_for([&] { return db.scalar("SELECT count(*) FROM runs") != "0"; }, 5000ms));
    host.stop();
    CHECK(host.created > 0);
}

TEST_CASE("the firer reports a broken schedule through its problem handler and keeps firing the others") {
    sr::test::trigger_database db;
    auto scenario = db.create_scenario();
    auto bad = db.add_schedule(scenario, "bad", "* * * * 9", "now() - interval '1 second'", "run_once");
    db.add_schedule(scenario, "good", "* * * * * *", "now() - interval '1 second'", "run_once");
    firer_host host(db.conninfo(), {});
    CHECK(wait_for([&] { return !host.problems().empty() && host.created > 0; }, 5000ms));
    host.stop();
    auto problems = host.problems();
    REQUIRE(problems.size() == 1);
    CHECK(problems[0] == bad + ": cron day-of-week: 9 is out of range 0-7; the schedule is parked until its scenario "
                               "is published again");
}
