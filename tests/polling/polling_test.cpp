// The poller with the real wordpress plugin against a fake WordPress on 127.0.0.1: the first
// poll sets the cursor, later polls queue one run per new post, and a cursor that was not
// advanced (a crash before the commit) repeats no run.
#include <future>

#include <boost/asio/executor_work_guard.hpp>
#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "db/seeder.hpp"
#include "fake_wordpress.hpp"
#include "io_drain.hpp"
#include "runtime_fixture.hpp"
#include "test_paths.hpp"
#include "triggers/poller.hpp"
#include "triggers/polling_sync.hpp"

using namespace sr::test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

// The host pieces a poller needs: plugins loaded on an io_context, and a db_pool.
class polling_host {
public:
    polling_host(const std::string& conninfo, std::string credentials)
        : log_(SR_LOG_WARN), guard_(boost::asio::make_work_guard(ioc_)), services_(ioc_, log_, nullptr),
          registry_(sr::host::load_plugins(plugin_dir(), services_)), plugins_(registry_), pool_(conninfo, 2) {
        pqxx::connection conn(conninfo);
        sr::host::seed_plugins(conn, registry_.records(), false);
        sr::host::poller_options options;
        options.load_credentials = [credentials](pqxx::transaction_base&, const std::string&, const std::string&) {
            return credentials;
        };
        poller_ = sr::host::poller::create(ioc_, pool_, plugins_, options);
        for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
    }
    ~polling_host() {
        drain(ioc_, guard_, threads_);
        poller_.reset();
        registry_ = sr::host::plugin_registry();
    }
    void poll() {
        std::promise<void> done;
        poller_->poll_once([&done] { done.set_value(); });
        REQUIRE(done.get_future().wait_for(20s) == std::future_status::ready);
    }

private:
    boost::asio::io_context ioc_;
    sr::host::json_log log_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
    sr::host::host_services services_;
    sr::host::plugin_registry registry_;
    sr::host::loaded_plugins plugins_;
    sr::host::db_pool pool_;
    std::shared_ptr<sr::host::poller> poller_;
    std::vector<std::thread> threads_;
};

json::value polling_graph() {
    auto trigger = graph_node("new_post", "wordpress.post_published", {{"poll_interval_s", 1}});
    trigger["data"].as_object()["connection_id"] = "wp-connection";
    return json::object{{"nodes", json::array{trigger, graph_node("log", "system.log", {{"message", "{{new_post.title}}"}})}},
                        {"edges", json::array{graph_edge("new_post", "log")}}};
}

} // namespace

TEST_CASE("polling queues one run per new post and never repeats one, even when a cursor commit was lost") {
    runtime_db db;
    fake_wordpress wp;
    wp.set_clock("2026-11-20T10:00:00");
    wp.add_post("old", "publish", "2026-11-20T09:00:00");
    polling_host host(db.conninfo(), json::serialize(wp.app_connection()));
    auto graph = polling_graph();
    db.publish(graph);
    {
        pqxx::connection conn(db.conninfo());
        pqxx::work tx(conn);
        CHECK(sr::host::sync_polling_triggers(tx, db.scenario_id(), graph) == 1);
        tx.commit();
    }
    host.poll(); // first poll: remembers the newest post, emits nothing
    CHECK(db.count("SELECT count(*) FROM runs") == 0);
    auto first_cursor = db.scalar("SELECT value::text FROM plugin_state WHERE key = 'cursor'");
    REQUIRE_FALSE(first_cursor.empty());

    wp.add_post("one", "publish", "2026-11-20T10:00:01");
    wp.add_post("two", "publish", "2026-11-20T10:00:01");
    host.poll(); // not due yet: nothing happens
    CHECK(db.count("SELECT count(*) FROM runs") == 0);
    db.exec("UPDATE polling_triggers SET next_poll_at = now()");
    host.poll();
    CHECK(db.count("SELECT count(*) FROM runs WHERE trigger_kind = 'polling' AND status = 'queued'") == 2);
    CHECK(db.count("SELECT count(*) FROM runs WHERE trigger_data->>'title' IN ('one', 'two')") == 2);
    CHECK(db.scalar("SELECT value::text FROM plugin_state WHERE key = 'cursor'") != first_cursor);

    // A host that polled but crashed before its commit leaves the old cursor: the same posts
    // come back and their idempotency keys keep them from being queued twice.
    db.exec("UPDATE plugin_state SET value = '" + first_cursor + "'::jsonb WHERE key = 'cursor'");
    db.exec("UPDATE polling_triggers SET next_poll_at = now()");
    host.poll();
    CHECK(db.count("SELECT count(*) FROM runs") == 2);

    db.exec("UPDATE polling_triggers SET next_poll_at = now()");
    host.poll(); // nothing new
    CHECK(db.count("SELECT count(*) FROM runs") == 2);
}

TEST_CASE("a version without the polling node deactivates its trigger") {
    runtime_db db;
    fake_wordpress wp;
    polling_host host(db.conninfo(), "{}");
    pqxx::connection conn(db.conninfo());
    {
        pqxx::work tx(conn);
        CHECK(sr::host::sync_polling_triggers(tx, db.scenario_id(), polling_graph()) == 1);
        tx.commit();
    }
    json::value without = json::object{{"nodes", json::array{graph_node("start", "system.manual")}}, {"edges", json::array{}}};
    {
        pqxx::work tx(conn);
        CHECK(sr::host::sync_polling_triggers(tx, db.scenario_id(), without) == 0);
        tx.commit();
    }
    CHECK(db.count("SELECT count(*) FROM polling_triggers WHERE is_active") == 0);
    CHECK(db.count("SELECT count(*) FROM polling_triggers") == 1);
}
