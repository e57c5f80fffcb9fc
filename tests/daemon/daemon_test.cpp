// scenariod as a real process: start-up, /health, /system/info, refused plugins, shutdown.
#include <chrono>
#include <csignal>
#include <thread>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "daemon_fixture.hpp"
#include "test_database.hpp"
#include "test_paths.hpp"

using namespace sr::test;
namespace json = boost::json;

namespace {
json::value find_plugin(const json::value& info, const std::string& id) {
    for (const auto& p : info.at("plugins").as_array())
        if (p.at("id") == id.c_str()) return p;
    return nullptr;
}

// A plugins directory holding the bundled plugins and every broken fixture plugin.
std::filesystem::path mixed_plugin_dir() {
    auto dir = temp_dir("mixed-plugins");
    for (const auto& e : std::filesystem::directory_iterator(plugin_dir()))
        if (e.path().extension() == ".so") std::filesystem::create_symlink(e.path(), dir / e.path().filename());
    for (const auto& e : std::filesystem::directory_iterator(fixture_plugin_dir() / "mixed"))
        if (e.path().extension() == ".so" && e.path().filename() != "demo.so")
            std::filesystem::create_symlink(e.path(), dir / e.path().filename());
    return dir;
}
} // namespace

TEST_CASE("scenariod serves /health and lists the bundled plugins in /system/info") {
    test_database db;
    running_daemon daemon(daemon_config{db.conninfo()});
    REQUIRE(daemon.started());
    auto health = http_get(daemon.port(), "/health");
    CHECK(health.status == 200);
    CHECK(json::parse(health.body).at("database") == "ok");

    auto info = http_get(daemon.port(), "/system/info");
    REQUIRE(info.status == 200);
    auto body = json::parse(info.body);
    CHECK(body.at("abi").at("major") == 1);
    auto system = find_plugin(body, "system");
    REQUIRE(system.is_object());
    bool has_http_request = false;
    for (const auto& a : system.at("actions").as_array()) has_http_request |= a == "http_request";
    CHECK(has_http_request);
    CHECK(body.at("refused_plugins").as_array().empty());

    // Seeded: the plugin is registered in the database.
    pqxx::connection conn(db.conninfo());
    pqxx::work tx(conn);
    auto rows = tx.exec("SELECT count(*) FROM integrations i JOIN integration_versions v ON v.integration_id = i.id "
                        "WHERE i.manifest_id = 'system' AND v.is_latest");
    CHECK(rows[0][0].as<int>() == 1);
}

TEST_CASE("broken plugins are refused with their reason while the others load and /health stays 200") {
    test_database db;
    running_daemon daemon(daemon_config{db.conninfo(), mixed_plugin_dir()});
    REQUIRE(daemon.started());
    CHECK(http_get(daemon.port(), "/health").status == 200);
    auto info = json::parse(http_get(daemon.port(), "/system/info").body);
    CHECK(find_plugin(info, "system").is_object());
    const auto& refused = info.at("refused_plugins").as_array();
    CHECK(refused.size() >= 7);
    for (const auto& r : refused) {
        std::string file(r.at("file").as_string());
        std::string reason(r.at("reason").as_string());
        CHECK(reason.find(std::filesystem::path(file).filename().string()) != std::string::npos);
    }
}

TEST_CASE("/health answers 503 once the database is gone") {
    auto db = std::make_unique<test_database>();
    running_daemon daemon(daemon_config{db->conninfo()});
    REQUIRE(daemon.started());
    REQUIRE(http_get(daemon.port(), "/health").status == 200);
    db.reset(); // DROP DATABASE ... WITH (FORCE)
    int status = 0;
    for (int i = 0; i < 100 && status != 503; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        status = http_get(daemon.port(), "/health").status;
    }
    CHECK(status == 503);
    CHECK(daemon.process().running()); // the host keeps running
}

TEST_CASE("SIGTERM stops scenariod cleanly") {
    test_database db;
    running_daemon daemon(daemon_config{db.conninfo()});
    REQUIRE(daemon.started());
    CHECK(daemon.stop() == 0);
    CHECK(daemon.output().find("\"stopped\"") != std::string::npos);
}

TEST_CASE("scenariod refuses a database whose schema is newer than it knows") {
    test_database db;
    {
        running_daemon first(daemon_config{db.conninfo()});
        REQUIRE(first.started());
    }
    {
        pqxx::connection conn(db.conninfo());
        pqxx::work tx(conn);
        tx.exec("INSERT INTO schema_migrations (version, name) VALUES (999, '0999_future')");
        tx.commit();
    }
    running_daemon second(daemon_config{db.conninfo()});
    CHECK_FALSE(second.started());
    CHECK(second.process().wait(std::chrono::seconds(30)) == 3);
    CHECK(second.output().find("999") != std::string::npos);
}

TEST_CASE("scenariod exits with a clear error when the database cannot be reached") {
    running_daemon daemon(daemon_config{"host=/nonexistent-socket-dir port=5 user=nobody dbname=none connect_timeout=2"});
    CHECK_FALSE(daemon.started());
    CHECK(daemon.process().wait(std::chrono::seconds(30)) == 1);
    CHECK(daemon.output().find("cannot start") != std::string::npos);
}

TEST_CASE("without SR_DATABASE_URL scenariod runs its own PostgreSQL under --data-dir and stops it on exit") {
    auto data = std::filesystem::path("/tmp") / ("srd-" + std::to_string(::getpid()));
    std::filesystem::remove_all(data);
    {
        running_daemon daemon(daemon_config{"", {}, data});
        REQUIRE(daemon.started());
        CHECK(http_get(daemon.port(), "/health").status == 200);
        CHECK(std::filesystem::exists(data / "pg" / "data" / "PG_VERSION"));
        CHECK(daemon.stop() == 0);
    }
    CHECK_FALSE(std::filesystem::exists(data / "pg" / "data" / "postmaster.pid"));
    // A second start reuses the initialized cluster.
    {
        running_daemon again(daemon_config{"", {}, data});
        REQUIRE(again.started());
        CHECK(again.output().find("initialized a new PostgreSQL cluster") == std::string::npos);
        CHECK(again.stop() == 0);
    }
    std::filesystem::remove_all(data);
}
