// `scenarioctl keys` as a real process against a test database.
#include <catch2/catch.hpp>

#include <regex>

#include "connection_fixture.hpp"
#include "process.hpp"
#include "security/master_key.hpp"
#include "test_paths.hpp"

using namespace sr::host;
using sr::test::connection_fixture;
using sr::test::has_text;

namespace {

sr::test::run_result ctl(const std::string& db, std::vector<std::string> args, std::map<std::string, std::string> env) {
    env["SR_DATABASE_URL"] = db;
    for (const char* name : {"SR_MASTER_KEY", "SR_MASTER_KEY_FILE", "SR_MASTER_KEY_OLD"})
        env.emplace(name, ""); // unset unless the test sets it
    return sr::test::run_to_end(sr::test::bin_dir() / "scenarioctl", args, env, std::chrono::seconds(60));
}

std::size_t count_under(pqxx::connection& conn, const std::string& key_id) {
    pqxx::read_transaction tx(conn);
    return tx.exec_params1("SELECT (SELECT count(*) FROM connections WHERE key_id = $1) + "
                           "(SELECT count(*) FROM webhook_endpoints WHERE secret_key_id = $1)",
                           key_id)[0]
        .as<std::size_t>();
}

} // namespace

TEST_CASE("scenarioctl keys rotate re-encrypts every secret under SR_MASTER_KEY and a second run finds nothing left") {
    connection_fixture fx;
    auto old_key = master_key::generate(), new_key = master_key::generate();
    for (int i = 0; i < 5; ++i) fx.create(vault(old_key), fx.org_a, "c" + std::to_string(i));
    fx.create_webhook_endpoint(vault(old_key), fx.org_b, "whsec_1");
    std::map<std::string, std::string> env{{"SR_MASTER_KEY", new_key.to_hex()}, {"SR_MASTER_KEY_OLD", old_key.to_hex()}};

    auto first = ctl(fx.conninfo(), {"keys", "rotate", "--batch", "2"}, env);
    INFO(first.output);
    CHECK(first.exit_code == 0);
    CHECK(has_text(first.output, "rotated 5 connections and 1 webhook secrets to key " + new_key.id() + " in 4 batches"));
    CHECK_FALSE(has_text(first.output, new_key.to_hex()));
    CHECK_FALSE(has_text(first.output, old_key.to_hex()));
    CHECK(count_under(fx.conn(), new_key.id()) == 6);
    CHECK(count_under(fx.conn(), old_key.id()) == 0);

    auto second = ctl(fx.conninfo(), {"keys", "rotate"}, env);
    CHECK(second.exit_code == 0);
    CHECK(has_text(second.output, "rotated 0 connections and 0 webhook secrets"));

    auto status = ctl(fx.conninfo(), {"keys", "status"}, {});
    CHECK(status.exit_code == 0);
    CHECK(has_text(status.output, "connections " + new_key.id() + " 5"));
}

TEST_CASE("scenarioctl keys rotate without the old key fails, names the key id and changes nothing") {
    connection_fixture fx;
    auto old_key = master_key::generate(), new_key = master_key::generate();
    fx.create(vault(old_key), fx.org_a);
    auto r = ctl(fx.conninfo(), {"keys", "rotate"}, {{"SR_MASTER_KEY", new_key.to_hex()}});
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(has_text(r.output, old_key.id()));
    CHECK_FALSE(has_text(r.output, new_key.to_hex()));
    CHECK(count_under(fx.conn(), old_key.id()) == 1);
}

TEST_CASE("scenarioctl keys rotate refuses a malformed master key without printing it") {
    connection_fixture fx;
    const std::string bad = "0123456789abcdef0123456789abcdefXYZ";
    auto r = ctl(fx.conninfo(), {"keys", "rotate"}, {{"SR_MASTER_KEY", bad}});
    CHECK(r.exit_code == 1);
    CHECK(has_text(r.output, "SR_MASTER_KEY"));
    CHECK_FALSE(has_text(r.output, bad));
    CHECK_FALSE(has_text(r.output, "0123456789abcdef"));
}

TEST_CASE("scenarioctl keys rotate without any master key says which variable to set") {
    connection_fixture fx;
    auto r = ctl(fx.conninfo(), {"keys", "rotate"}, {});
    CHECK(r.exit_code == 1);
    CHECK(has_text(r.output, "SR_MASTER_KEY"));
}

TEST_CASE("scenarioctl keys generate prints a fresh 64-hex-digit key each time") {
    auto a = ctl("", {"keys", "generate"}, {});
    auto b = ctl("", {"keys", "generate"}, {});
    CHECK(a.exit_code == 0);
    std::smatch m;
    REQUIRE(std::regex_search(a.output, m, std::regex("[0-9a-f]{64}")));
    CHECK(master_key::parse(m.str(), "output").bytes().size() == 32);
    CHECK(has_text(a.output, "key id " + master_key::parse(m.str(), "output").id()));
    CHECK_FALSE(has_text(b.output, m.str()));
}

TEST_CASE("scenarioctl keys rejects unknown subcommands and options with usage") {
    CHECK(ctl("", {"keys"}, {}).exit_code == 2);
    CHECK(ctl("", {"keys", "frobnicate"}, {}).exit_code == 2);
    CHECK(ctl("", {"keys", "rotate", "--batch", "0"}, {}).exit_code == 2);
    CHECK(ctl("", {"keys", "rotate", "--bogus"}, {}).exit_code == 2);
    CHECK(ctl("", {"keys", "generate", "--x"}, {}).exit_code == 2);
}
