// scenarioctl admin as a real process against a real database.
#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "auth/authenticator.hpp"
#include "db/migrator.hpp"
#include "process.hpp"
#include "test_database.hpp"
#include "test_paths.hpp"

using namespace sr::test;

namespace {

run_result ctl(const std::string& db, std::vector<std::string> args) {
    return run_to_end(bin_dir() / "scenarioctl", args, {{"SR_DATABASE_URL", db}}, std::chrono::seconds(60));
}

// The token is the last non-empty line of the output (stdout; the notes go to stderr).
std::string last_line(const std::string& out) {
    auto end = out.find_last_not_of("\r\n");
    if (end == std::string::npos) return {};
    auto start = out.find_last_of('\n', end);
    return out.substr(start == std::string::npos ? 0 : start + 1, end + 1 - (start == std::string::npos ? 0 : start + 1));
}

struct migrated_db {
    test_database db;
    migrated_db() {
        pqxx::connection c(db.conninfo());
        sr::host::migrate(c);
    }
};

} // namespace

TEST_CASE("scenarioctl admin bootstrap creates the organization, its owner and a working token shown once") {
    migrated_db m;
    auto r = ctl(m.db.conninfo(), {"admin", "bootstrap", "--org", "Acme Inc", "--email", "boss@acme.test"});
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    auto token = last_line(r.output);
    REQUIRE(token.rfind("srt_", 0) == 0);
    pqxx::connection c(m.db.conninfo());
    pqxx::work tx(c);
    auto who = sr::host::authenticate(tx, token);
    REQUIRE(who);
    CHECK(who->role == sr::host::role::owner);
    CHECK(tx.exec1("SELECT slug FROM organizations")[0].as<std::string>() == "acme-inc");
    CHECK(tx.exec1("SELECT count(*) FROM audit_logs WHERE action = 'organization.bootstrap'")[0].as<int>() == 1);
}

TEST_CASE("scenarioctl admin bootstrap refuses to run when an organization exists") {
    migrated_db m;
    REQUIRE(ctl(m.db.conninfo(), {"admin", "bootstrap", "--org", "A", "--email", "a@a.test"}).exit_code == 0);
    auto again = ctl(m.db.conninfo(), {"admin", "bootstrap", "--org", "B", "--email", "b@b.test"});
    CHECK(again.exit_code == 1);
    CHECK(again.output.find("srt_") == std::string::npos);
}

TEST_CASE("scenarioctl admin token create adds a member with the role and prints a token for them") {
    migrated_db m;
    REQUIRE(ctl(m.db.conninfo(), {"admin", "bootstrap", "--org", "Acme", "--email", "boss@acme.test"}).exit_code == 0);
    auto r = ctl(m.db.conninfo(), {"admin", "token", "create", "--org", "acme", "--email", "v@acme.test", "--role", "viewer"});
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    pqxx::connection c(m.db.conninfo());
    pqxx::work tx(c);
    auto who = sr::host::authenticate(tx, last_line(r.output));
    REQUIRE(who);
    CHECK(who->role == sr::host::role::viewer);
}

TEST_CASE("scenarioctl admin refuses missing options, an unknown role and an unknown organization") {
    migrated_db m;
    CHECK(ctl(m.db.conninfo(), {"admin", "bootstrap", "--org", "x"}).exit_code == 2);
    CHECK(ctl(m.db.conninfo(), {"admin"}).exit_code == 2);
    CHECK(ctl(m.db.conninfo(), {"admin", "token", "create", "--org", "x", "--email", "a@b.c", "--role", "root"}).exit_code == 2);
    CHECK(ctl(m.db.conninfo(), {"admin", "token", "create", "--org", "nope", "--email", "a@b.c"}).exit_code == 1);
}
