// scenarioctl as a real process: migrate and seed.
#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "process.hpp"
#include "test_database.hpp"
#include "test_paths.hpp"

using namespace sr::test;

namespace {
run_result ctl(const std::string& db, std::vector<std::string> args) {
    return run_to_end(bin_dir() / "scenarioctl", args, {{"SR_DATABASE_URL", db}}, std::chrono::seconds(60));
}
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
} // namespace

TEST_CASE("scenarioctl migrate applies the schema once and then reports it up to date") {
    test_database db;
    auto first = ctl(db.conninfo(), {"migrate"});
    CHECK(first.exit_code == 0);
    CHECK(contains(first.output, "applied 0001_initial"));
    auto second = ctl(db.conninfo(), {"migrate"});
    CHECK(second.exit_code == 0);
    CHECK(contains(second.output, "up to date"));
}

TEST_CASE("scenarioctl seed registers each plugin once and skips it when unchanged") {
    test_database db;
    auto first = ctl(db.conninfo(), {"seed", "--plugins", plugin_dir().string()});
    INFO(first.output);
    CHECK(first.exit_code == 0);
    CHECK(contains(first.output, "skipped 0, errors 0"));
    CHECK_FALSE(contains(first.output, "seeded 0,"));
    auto second = ctl(db.conninfo(), {"seed", "--plugins", plugin_dir().string()});
    CHECK(second.exit_code == 0);
    CHECK(contains(second.output, "seeded 0, updated 0"));
    auto forced = ctl(db.conninfo(), {"seed", "--plugins", plugin_dir().string(), "--force"});
    CHECK(forced.exit_code == 0);
    CHECK(contains(forced.output, "seeded 0, updated "));
    CHECK_FALSE(contains(forced.output, "updated 0,"));
}

TEST_CASE("scenarioctl seed reports refused plugins as errors and still seeds the good ones") {
    test_database db;
    auto r = ctl(db.conninfo(), {"seed", "--plugins", (fixture_plugin_dir() / "mixed").string()});
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.output, "seeded 1,"));
    CHECK(contains(r.output, "error: refused"));
    CHECK(contains(r.output, "abi_major_2.so"));
}

TEST_CASE("scenarioctl rejects an unknown command or option with usage") {
    CHECK(ctl("", {"frobnicate"}).exit_code == 2);
    CHECK(ctl("", {"seed", "--bogus"}).exit_code == 2);
    CHECK(contains(ctl("", {"--help"}).output, "usage: scenarioctl"));
}
