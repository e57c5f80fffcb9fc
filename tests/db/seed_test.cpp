#include "db/seeder.hpp"

#include "db_fixtures.hpp"
#include "test_database.hpp"

#include <atomic>
#include <thread>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <pqxx/pqxx>

namespace {

using sr::host::plugin_record;

std::string manifest(const std::string& id, const std::string& version, const std::string& name) {
    return fmt::format(R"({{"id": "{}", "name": "{}", "version": "{}", "description": "d {}", "category": "cms",)"
                       R"( "keywords": ["a", "b\"c"], "tags": ["t"], "actions": []}})",
                       id, name, version, version);
}

// A record whose sha256 is derived from `build` so a rebuilt file gets another digest.
plugin_record record(const std::string& id, const std::string& version, char build = 'a',
                     const std::string& name = "Plugin") {
    return plugin_record{id, version, manifest(id, version, name), std::string(64, build),
                         "/plugins/" + id + "-" + version + ".so", 1, 0};
}

struct seeded_db {
    sr::test::test_database db;
    pqxx::connection conn{db.conninfo()};
    seeded_db() { sr::test::migrate_schema(conn); }

    int count(const std::string& sql) {
        pqxx::work tx(conn);
        return tx.exec(sql)[0][0].as<int>();
    }
    std::string latest(const std::string& id) {
        pqxx::work tx(conn);
        auto rows = tx.exec_params("SELECT v.version FROM integration_versions v JOIN integrations i"
                                   " ON i.id = v.integration_id WHERE i.manifest_id = $1 AND v.is_latest", id);
        return rows.size() == 1 ? rows[0][0].as<std::string>() : fmt::format("<{} latest rows>", rows.size());
    }
    std::string integration_name(const std::string& id) {
        pqxx::work tx(conn);
        return tx.exec_params1("SELECT name FROM integrations WHERE manifest_id = $1", id)[0].as<std::string>();
    }
};

} // namespace

TEST_CASE("a first seed registers every plugin and its version as seeded") {
    seeded_db s;
    auto report = sr::host::seed_plugins(s.conn, {record("alpha", "1.0.0"), record("beta", "0.3.1")}, false);
    CHECK(report.seeded == 2);
    CHECK(report.updated == 0);
    CHECK(report.skipped == 0);
    CHECK(report.errors.empty());
    CHECK(s.count("SELECT count(*) FROM integrations") == 2);
    CHECK(s.count("SELECT count(*) FROM integration_versions") == 2);
    CHECK(s.latest("alpha") == "1.0.0");
    pqxx::work tx(s.conn);
    auto row = tx.exec1("SELECT i.name, i.category, i.keywords::text, v.major, v.minor, v.patch, v.abi_major,"
                        " v.sha256, v.manifest->>'id' FROM integrations i JOIN integration_versions v"
                        " ON v.integration_id = i.id WHERE i.manifest_id = 'beta'");
    CHECK(row[0].as<std::string>() == "Plugin");
    CHECK(row[1].as<std::string>() == "cms");
    CHECK(row[2].as<std::string>() == R"({a,"b\"c"})");
    CHECK(row[3].as<int>() == 0);
    CHECK(row[4].as<int>() == 3);
    CHECK(row[5].as<int>() == 1);
    CHECK(row[6].as<int>() == 1);
    CHECK(row[7].as<std::string>() == std::string(64, 'a'));
    CHECK(row[8].as<std::string>() == "beta");
}

TEST_CASE("seeding the same plugins again skips them and changes nothing") {
    seeded_db s;
    std::vector<plugin_record> plugins = {record("alpha", "1.0.0"), record("beta", "0.3.1")};
    sr::host::seed_plugins(s.conn, plugins, false);
    auto before = s.count("SELECT count(*) FROM integration_versions");
    auto report = sr::host::seed_plugins(s.conn, plugins, false);
    CHECK(report.seeded == 0);
    CHECK(report.updated == 0);
    CHECK(report.skipped == 2);
    CHECK(report.errors.empty());
    CHECK(s.count("SELECT count(*) FROM integration_versions") == before);
    CHECK(s.count("SELECT count(*) FROM integration_versions WHERE updated_at <> created_at") == 0);
}

TEST_CASE("a newer version takes the latest flag and the integration's metadata") {
    seeded_db s;
    sr::host::seed_plugins(s.conn, {record("alpha", "1.0.0", 'a', "Old name")}, false);
    auto report = sr::host::seed_plugins(s.conn, {record("alpha", "1.1.0", 'b', "New name")}, false);
    CHECK(report.seeded == 1);
    CHECK(s.latest("alpha") == "1.1.0");
    CHECK(s.integration_name("alpha") == "New name");
    CHECK(s.count("SELECT count(*) FROM integration_versions") == 2);
}

TEST_CASE("an older version seeded later does not take the latest flag") {
    seeded_db s;
    sr::host::seed_plugins(s.conn, {record("alpha", "2.0.0", 'a', "Current")}, false);
    auto report = sr::host::seed_plugins(s.conn, {record("alpha", "1.5.0", 'b', "Older")}, false);
    CHECK(report.seeded == 1);
    CHECK(s.latest("alpha") == "2.0.0");
    CHECK(s.integration_name("alpha") == "Current");
}

TEST_CASE("semantic version order, not text order, decides the latest version") {
    seeded_db s;
    sr::host::seed_plugins(s.conn, {record("alpha", "1.10.0"), record("alpha", "1.9.0")}, false);
    CHECK(s.latest("alpha") == "1.10.0");
    sr::host::seed_plugins(s.conn, {record("alpha", "1.11.0")}, false);
    CHECK(s.latest("alpha") == "1.11.0");
}

TEST_CASE("a pre-release does not take the latest flag from a release") {
    seeded_db s;
    sr::host::seed_plugins(s.conn, {record("alpha", "1.10.0")}, false);
    sr::host::seed_plugins(s.conn, {record("alpha", "2.0.0-rc.1")}, false);
    CHECK(s.latest("alpha") == "1.10.0");
    sr::host::seed_plugins(s.conn, {record("alpha", "2.0.0")}, false);
    CHECK(s.latest("alpha") == "2.0.0");
}

TEST_CASE("a plugin with only pre-releases has its highest pre-release as latest") {
    seeded_db s;
    sr::host::seed_plugins(s.conn, {record("alpha", "1.0.0-alpha.1"), record("alpha", "1.0.0-beta.2")}, false);
    CHECK(s.latest("alpha") == "1.0.0-beta.2");
}

TEST_CASE("force rewrites unchanged versions and counts them as updated") {
    seeded_db s;
    std::vector<plugin_record> plugins = {record("alpha", "1.0.0"), record("beta", "1.0.0")};
    sr::host::seed_plugins(s.conn, plugins, false);
    auto report = sr::host::seed_plugins(s.conn, plugins, true);
    CHECK(report.updated == 2);
    CHECK(report.seeded == 0);
    CHECK(report.skipped == 0);
    CHECK(s.count("SELECT count(*) FROM integration_versions") == 2);
    CHECK(s.latest("alpha") == "1.0.0");
}

TEST_CASE("a rebuilt file of an existing version (another sha256) is updated in place") {
    seeded_db s;
    sr::host::seed_plugins(s.conn, {record("alpha", "1.0.0", 'a')}, false);
    auto report = sr::host::seed_plugins(s.conn, {record("alpha", "1.0.0", 'c')}, false);
    CHECK(report.updated == 1);
    CHECK(s.count("SELECT count(*) FROM integration_versions") == 1);
    CHECK(s.count(fmt::format("SELECT count(*) FROM integration_versions WHERE sha256 = '{}'", std::string(64, 'c'))) == 1);
    CHECK(s.latest("alpha") == "1.0.0");
}

TEST_CASE("two seeds of the same plugins at once leave exactly one row each and report no errors") {
    for (int round = 0; round < 3; ++round) {
        seeded_db s;
        std::vector<plugin_record> plugins;
        for (const char* id : {"alpha", "beta", "gamma", "delta"})
            for (const char* v : {"1.0.0", "1.2.0", "2.0.0-beta.1"}) plugins.push_back(record(id, v));
        std::atomic<int> ready{0};
        std::vector<sr::host::seed_report> reports(2);
        std::vector<std::string> failures(2);
        std::vector<std::thread> threads;
        for (int i = 0; i < 2; ++i) {
            threads.emplace_back([&, i] {
                try {
                    pqxx::connection conn(s.db.conninfo());
                    ++ready;
                    while (ready < 2) std::this_thread::yield();
                    reports[i] = sr::host::seed_plugins(conn, plugins, false);
                } catch (const std::exception& e) {
                    failures[i] = e.what();
                }
            });
        }
        for (auto& t : threads) t.join();
        CHECK(failures[0].empty());
        CHECK(failures[1].empty());
        CHECK(reports[0].errors.empty());
        CHECK(reports[1].errors.empty());
        CHECK(reports[0].seeded + reports[1].seeded == 12);
        CHECK(reports[0].skipped + reports[1].skipped == 12);
        CHECK(s.count("SELECT count(*) FROM integrations") == 4);
        CHECK(s.count("SELECT count(*) FROM integration_versions") == 12);
        CHECK(s.count("SELECT count(*) FROM integration_versions WHERE is_latest") == 4);
        CHECK(s.latest("gamma") == "1.2.0");  // the highest release; the beta does not take it
    }
}

TEST_CASE("a malformed manifest is reported as an error while the other plugins seed") {
    seeded_db s;
    auto broken = record("broken", "1.0.0");
    broken.manifest_json = R"({"id": "broken", "name": )";
    auto report = sr::host::seed_plugins(s.conn, {record("alpha", "1.0.0"), broken, record("beta", "1.0.0")}, false);
    CHECK(report.seeded == 2);
    REQUIRE(report.errors.size() == 1);
    CHECK_THAT(report.errors[0], Catch::Contains("broken") && Catch::Contains("malformed manifest JSON") &&
                                     Catch::Contains("/plugins/broken-1.0.0.so"));
    CHECK(s.count("SELECT count(*) FROM integrations WHERE manifest_id = 'broken'") == 0);
}

TEST_CASE("a record whose manifest contradicts it or lacks required fields is refused") {
    seeded_db s;
    auto other_id = record("alpha", "1.0.0");
    other_id.manifest_json = manifest("beta", "1.0.0", "X");
    auto bad_version = record("gamma", "1.0");
    auto no_name = record("delta", "1.0.0");
    no_name.manifest_json = R"({"id": "delta", "version": "1.0.0"})";
    auto bad_sha = record("eps", "1.0.0");
    bad_sha.sha256 = "xyz";
    auto not_object = record("zeta", "1.0.0");
    not_object.manifest_json = "[1, 2]";
    auto report = sr::host::seed_plugins(s.conn, {other_id, bad_version, no_name, bad_sha, not_object}, false);
    CHECK(report.seeded == 0);
    REQUIRE(report.errors.size() == 5);
    CHECK_THAT(report.errors[0], Catch::Contains("differs from the plugin id"));
    CHECK_THAT(report.errors[1], Catch::Contains("not a semantic version"));
    CHECK_THAT(report.errors[2], Catch::Contains("\"name\""));
    CHECK_THAT(report.errors[3], Catch::Contains("sha256"));
    CHECK_THAT(report.errors[4], Catch::Contains("not a JSON object"));
    CHECK(s.count("SELECT count(*) FROM integrations") == 0);
}
