#include "db/migrator.hpp"

#include "db_fixtures.hpp"
#include "test_database.hpp"
#include "test_paths.hpp"

#include <algorithm>
#include <atomic>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <set>
#include <thread>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

namespace {

std::set<std::string> table_names(pqxx::connection& conn) {
    pqxx::work tx(conn);
    std::set<std::string> names;
    for (const auto& row : tx.exec("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
        names.insert(row[0].as<std::string>());
    return names;
}

std::vector<std::pair<int, std::string>> recorded(pqxx::connection& conn) {
    pqxx::work tx(conn);
    std::vector<std::pair<int, std::string>> rows;
    for (const auto& row : tx.exec("SELECT version, name FROM schema_migrations ORDER BY version"))
        rows.emplace_back(row[0].as<int>(), row[1].as<std::string>());
    return rows;
}

const std::set<std::string> data_model = {
    "organizations",     "users",         "organization_members", "api_tokens",         "integrations",
    "integration_versions", "connections", "scenarios",          "scenario_versions",  "scenario_nodes",
    "scenario_edges",    "runs",          "node_runs",            "run_logs",           "webhook_endpoints",
    "webhook_deliveries", "schedules",    "plugin_state",         "scenario_templates", "settings",
    "audit_logs",        "schema_migrations", "polling_triggers"};

} // namespace

TEST_CASE("the embedded migrations start at version 1 with the initial schema, in order") {
    auto all = sr::schema::migrations();
    REQUIRE(!all.empty());
    CHECK(all.front().version == 1);
    CHECK(std::string(all.front().name) == "initial");
    CHECK(std::string(all.front().sql).find("CREATE TABLE runs") != std::string::npos);
    CHECK(std::is_sorted(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.version < b.version; }));
    CHECK(sr::schema::newest_version() == all.back().version);
}

TEST_CASE("each embedded migration is its schema file byte for byte") {
    for (const auto& m : sr::schema::migrations()) {
        auto file = sr::test::source_dir() / "schema" / fmt::format("{:04}_{}.sql", m.version, m.name);
        INFO(file.string());
        std::ifstream in(file, std::ios::binary);
        REQUIRE(in);
        std::ostringstream text;
        text << in.rdbuf();
        CHECK(text.str() == m.sql);
    }
}

TEST_CASE("migrate creates every table of the data model and records the version") {
    sr::test::test_database db;
    pqxx::connection conn(db.conninfo());
    auto report = sr::host::migrate(conn);
    CHECK(report.from_version == 0);
    CHECK(report.to_version == sr::schema::newest_version());
    REQUIRE(!report.applied.empty());
    CHECK(report.applied.front() == "0001_initial");
    CHECK(table_names(conn) == data_model);
    auto rows = recorded(conn);
    REQUIRE(!rows.empty());
    CHECK(rows.front() == std::pair<int, std::string>{1, "initial"});
}

TEST_CASE("a second migrate applies nothing and keeps the recorded version") {
    sr::test::test_database db;
    pqxx::connection conn(db.conninfo());
    sr::host::migrate(conn);
    auto before = recorded(conn);
    auto report = sr::host::migrate(conn);
    CHECK(report.applied.empty());
    CHECK(report.from_version == sr::schema::newest_version());
    CHECK(report.to_version == sr::schema::newest_version());
    CHECK(recorded(conn) == before);
}

TEST_CASE("a database whose schema is newer than the binary is refused with a clear message and left unchanged") {
    sr::test::test_database db;
    pqxx::connection conn(db.conninfo());
    sr::host::migrate(conn);
    {
        pqxx::work tx(conn);
        tx.exec("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from_the_future')");
        tx.commit();
    }
    auto tables = table_names(conn);
    auto rows = recorded(conn);
    try {
        sr::host::migrate(conn);
        FAIL("migrate accepted a newer schema");
    } catch (const sr::host::schema_too_new& e) {
        CHECK(e.database_version() == 9999);
        CHECK(e.known_version() == sr::schema::newest_version());
        CHECK_THAT(e.what(), Catch::Contains("database schema is at version 9999") &&
                                 Catch::Contains("knows only up to") && Catch::Contains("upgrade scenariod"));
    }
    CHECK(table_names(conn) == tables);
    CHECK(recorded(conn) == rows);
}

TEST_CASE("a newer recorded version is refused before any migration runs on an otherwise empty database") {
    sr::test::test_database db;
    pqxx::connection conn(db.conninfo());
    {
        pqxx::work tx(conn);
        tx.exec("CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL,"
                " applied_at timestamptz NOT NULL DEFAULT now())");
        tx.exec("INSERT INTO schema_migrations (version, name) VALUES (7, 'future')");
        tx.commit();
    }
    CHECK_THROWS_AS(sr::host::migrate(conn), sr::host::schema_too_new);
    CHECK(table_names(conn) == std::set<std::string>{"schema_migrations"});
}

TEST_CASE("two processes migrating the same database at once both succeed and each migration is applied once") {
    for (int round = 0; round < 3; ++round) {
        sr::test::test_database db;
        std::atomic<int> ready{0};
        std::vector<sr::host::migrate_report> reports(2);
        std::vector<std::string> errors(2);
        std::vector<std::thread> threads;
        for (int i = 0; i < 2; ++i) {
            threads.emplace_back([&, i] {
                try {
                    pqxx::connection conn(db.conninfo());
                    ++ready;
                    while (ready < 2) std::this_thread::yield();
                    reports[i] = sr::host::migrate(conn);
                } catch (const std::exception& e) {
                    errors[i] = e.what();
                }
            });
        }
        for (auto& t : threads) t.join();
        CHECK(errors[0].empty());
        CHECK(errors[1].empty());
        CHECK(reports[0].applied.size() + reports[1].applied.size() == sr::schema::migrations().size());
        CHECK(reports[0].to_version == sr::schema::newest_version());
        CHECK(reports[1].to_version == sr::schema::newest_version());
        pqxx::connection conn(db.conninfo());
        CHECK(recorded(conn).size() == sr::schema::migrations().size());
    }
}

TEST_CASE("a failing migration is rolled back and named while earlier migrations stay applied") {
    sr::test::test_database db;
    pqxx::connection conn(db.conninfo());
    const sr::schema::migration list[] = {
        {1, "first", "CREATE TABLE first_table (x integer)"},
        {2, "broken", "CREATE TABLE second_table (x integer); SELECT 1 / 0"},
    };
    CHECK_THROWS_WITH(sr::host::migrate(conn, list), Catch::Contains("0002_broken"));
    auto tables = table_names(conn);
    CHECK(tables.count("first_table") == 1);
    CHECK(tables.count("second_table") == 0);
    CHECK(recorded(conn) == std::vector<std::pair<int, std::string>>{{1, "first"}});
}

TEST_CASE("migrations listed out of order are refused before touching the database") {
    sr::test::test_database db;
    pqxx::connection conn(db.conninfo());
    const sr::schema::migration list[] = {{2, "b", "SELECT 1"}, {1, "a", "SELECT 1"}};
    CHECK_THROWS_AS(sr::host::migrate(conn, list), std::logic_error);
    CHECK(table_names(conn).empty());
}
