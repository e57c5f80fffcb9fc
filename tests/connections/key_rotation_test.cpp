// Key rotation: every sealed row moves to the current key, in batches, resumable and idempotent.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "connection_fixture.hpp"
#include "connections/connection_repository.hpp"
#include "connections/key_rotation.hpp"
#include "security/associated_data.hpp"

using namespace sr::host;
using sr::test::connection_fixture;
namespace json = boost::json;

namespace {

std::size_t rows_under(pqxx::connection& conn, const std::string& key_id) {
    pqxx::read_transaction tx(conn);
    return tx.exec_params1("SELECT (SELECT count(*) FROM connections WHERE key_id = $1) + "
                           "(SELECT count(*) FROM webhook_endpoints WHERE secret_key_id = $1)",
                           key_id)[0]
        .as<std::size_t>();
}

std::string open_webhook_secret(pqxx::connection& conn, const vault& v, const std::string& id) {
    pqxx::read_transaction tx(conn);
    auto r = tx.exec_params1("SELECT secret, secret_nonce, secret_key_id FROM webhook_endpoints WHERE id = $1", id);
    return v.open({pqxx::binarystring(r[0]).str(), pqxx::binarystring(r[1]).str(), r[2].as<std::string>()},
                  webhook_secret_associated_data(id));
}

struct rotation_setup {
    master_key old_key = master_key::generate();
    master_key new_key = master_key::generate();
    std::vector<std::string> connections, webhooks;

    // 7 connections over two organizations and 3 webhook secrets, all under the old key.
    explicit rotation_setup(connection_fixture& fx) {
        vault before(old_key);
        for (int i = 0; i < 7; ++i) connections.push_back(fx.create(before, i % 2 ? fx.org_b : fx.org_a, "c" + std::to_string(i)));
        for (int i = 0; i < 3; ++i) webhooks.push_back(fx.create_webhook_endpoint(before, fx.org_a, "whsec_" + std::to_string(i)));
    }
    vault after() const { return vault(new_key, {old_key}); }
};

void check_all_open(connection_fixture& fx, const rotation_setup& s, const vault& v) {
    pqxx::read_transaction tx(fx.conn());
    for (const auto& id : s.connections) {
        auto org = tx.exec_params1("SELECT organization_id::text FROM connections WHERE id = $1", id)[0].as<std::string>();
        CHECK(json::parse(open_credentials(tx, v, org, id)) == connection_fixture::good_credentials());
    }
    tx.commit();
    for (std::size_t i = 0; i < s.webhooks.size(); ++i)
        CHECK(open_webhook_secret(fx.conn(), v, s.webhooks[i]) == "whsec_" + std::to_string(i));
}

} // namespace

TEST_CASE("rotation moves every connection and webhook secret to the new key id and they still open") {
    connection_fixture fx;
    rotation_setup s(fx);
    auto v = s.after();
    auto report = rotate_keys(fx.conn(), v, 3);
    CHECK(report.connections == 7);
    CHECK(report.webhook_secrets == 3);
    CHECK(report.batches == 4); // 3 + 3 + 1 connections, then 3 webhook secrets
    CHECK(report.finished);
    CHECK(rows_under(fx.conn(), s.old_key.id()) == 0);
    CHECK(rows_under(fx.conn(), s.new_key.id()) == 10);
    check_all_open(fx, s, vault(s.new_key)); // no longer needs the old key
}

TEST_CASE("running rotation again changes nothing") {
    connection_fixture fx;
    rotation_setup s(fx);
    auto v = s.after();
    rotate_keys(fx.conn(), v, 4);
    pqxx::read_transaction snapshot(fx.conn());
    auto before = snapshot.exec("SELECT id, nonce FROM connections ORDER BY id");
    snapshot.commit();
    auto again = rotate_keys(fx.conn(), v, 4);
    CHECK(again.connections == 0);
    CHECK(again.webhook_secrets == 0);
    CHECK(again.batches == 0);
    CHECK(again.finished);
    pqxx::read_transaction tx(fx.conn());
    auto after = tx.exec("SELECT id, nonce FROM connections ORDER BY id");
    REQUIRE(after.size() == before.size());
    for (std::size_t i = 0; i < after.size(); ++i) CHECK(pqxx::binarystring(after[i][1]).str() == pqxx::binarystring(before[i][1]).str());
}

TEST_CASE("rotation interrupted after one batch finishes when run again") {
    connection_fixture fx;
    rotation_setup s(fx);
    auto v = s.after();
    auto partial = rotate_keys(fx.conn(), v, 3, 1); // the "interruption": stop after one committed batch
    CHECK(partial.connections == 3);
    CHECK(partial.batches == 1);
    CHECK_FALSE(partial.finished);
    CHECK(rows_under(fx.conn(), s.new_key.id()) == 3);
    CHECK(rows_under(fx.conn(), s.old_key.id()) == 7);
    check_all_open(fx, s, v); // a half-rotated database works with both keys held

    auto rest = rotate_keys(fx.conn(), v, 3);
    CHECK(rest.connections == 4);
    CHECK(rest.webhook_secrets == 3);
    CHECK(rest.finished);
    CHECK(rows_under(fx.conn(), s.old_key.id()) == 0);
    check_all_open(fx, s, vault(s.new_key));
}

TEST_CASE("a batch that fails midway rolls back as a whole and a later run completes") {
    connection_fixture fx;
    rotation_setup s(fx);
    // Corrupt one connection so its batch fails to open: the batch's earlier rows must not commit.
    {
        pqxx::work tx(fx.conn());
        tx.exec_params("UPDATE connections SET nonce = decode('000000000000000000000000', 'hex') WHERE id = "
                       "(SELECT id FROM connections ORDER BY id OFFSET 1 LIMIT 1)");
        tx.commit();
    }
    auto v = s.after();
    CHECK_THROWS_AS(rotate_keys(fx.conn(), v, 5), vault_error);
    CHECK(rows_under(fx.conn(), s.new_key.id()) == 0);
    {
        pqxx::work tx(fx.conn());
        tx.exec("DELETE FROM connections WHERE id = (SELECT id FROM connections ORDER BY id OFFSET 1 LIMIT 1)");
        tx.commit();
    }
    auto report = rotate_keys(fx.conn(), v, 5);
    CHECK(report.finished);
    CHECK(rows_under(fx.conn(), s.old_key.id()) == 0);
    CHECK(rows_under(fx.conn(), s.new_key.id()) == 9);
}

TEST_CASE("rotation refuses to start when rows are sealed under a key it does not hold") {
    connection_fixture fx;
    rotation_setup s(fx);
    vault missing_old(s.new_key);
    try {
        rotate_keys(fx.conn(), missing_old, 3);
        FAIL("rotation ran without the old key");
    } catch (const vault_error& e) {
        std::string m = e.what();
        CHECK(m.find(s.old_key.id()) != std::string::npos);
        CHECK(m.find("SR_MASTER_KEY_OLD") != std::string::npos);
        CHECK(m.find(s.old_key.to_hex()) == std::string::npos);
    }
    CHECK(rows_under(fx.conn(), s.old_key.id()) == 10);
}

TEST_CASE("rows sealed under several old keys all move to the current key") {
    connection_fixture fx;
    auto k1 = master_key::generate(), k2 = master_key::generate(), k3 = master_key::generate();
    fx.create(vault(k1), fx.org_a);
    fx.create(vault(k2), fx.org_b);
    fx.create_webhook_endpoint(vault(k1), fx.org_b, "whsec_x");
    auto report = rotate_keys(fx.conn(), vault(k3, {k1, k2}), 10);
    CHECK(report.connections == 2);
    CHECK(report.webhook_secrets == 1);
    CHECK(rows_under(fx.conn(), k3.id()) == 3);
}

TEST_CASE("key usage lists rows per key id") {
    connection_fixture fx;
    auto k1 = master_key::generate();
    fx.create(vault(k1), fx.org_a);
    fx.create(vault(k1), fx.org_a);
    fx.create_webhook_endpoint(vault(k1), fx.org_b, "whsec_x");
    auto usage = describe_key_usage(fx.conn());
    CHECK(usage.find("connections " + k1.id() + " 2\n") != std::string::npos);
    CHECK(usage.find("webhook_secrets " + k1.id() + " 1\n") != std::string::npos);
}
