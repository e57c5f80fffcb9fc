#include "db/database.hpp"

#include "test_database.hpp"
#include "test_paths.hpp"

#include <cstdlib>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

TEST_CASE("open_database uses SR_DATABASE_URL and starts nothing") {
    sr::test::test_database db;
    auto dir = sr::test::temp_dir("odb");
    ::setenv("SR_DATABASE_URL", db.conninfo().c_str(), 1);
    auto handle = sr::host::open_database(dir);
    ::unsetenv("SR_DATABASE_URL");
    CHECK(handle.conninfo == db.conninfo());
    CHECK(handle.cluster == nullptr);
    CHECK_FALSE(std::filesystem::exists(dir / "pg"));
}

TEST_CASE("open_database without SR_DATABASE_URL starts the private cluster and creates the scenario database") {
    ::unsetenv("SR_DATABASE_URL");
    auto dir = sr::test::temp_dir("odb");
    sr::host::pg_cluster::options opts;
    opts.durable = false;
    auto handle = sr::host::open_database(dir, opts);
    REQUIRE(handle.cluster != nullptr);
    {
        pqxx::connection conn(handle.conninfo);
        pqxx::nontransaction tx(conn);
        CHECK(tx.exec("SELECT current_database()")[0][0].as<std::string>() == "scenario");
    }
    // A second open (another process of ours, e.g. scenarioctl next to scenariod) reuses both.
    auto again = sr::host::open_database(dir, opts);
    CHECK(again.cluster->reused());
    CHECK(again.conninfo == handle.conninfo);
    again.cluster->stop();
    CHECK(handle.cluster->running());
    handle.cluster->stop();
    CHECK_FALSE(handle.cluster->running());
}
