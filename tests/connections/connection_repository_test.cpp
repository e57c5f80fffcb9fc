// Connections: credentials validated, sealed and masked; never readable by another organization
// and never present in listings or errors.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "connection_fixture.hpp"
#include "connections/connection_repository.hpp"
#include "store/store_error.hpp"

using namespace sr::host;
using sr::test::connection_fixture;
using sr::test::has_text;
using sr::test::secret_api_key;
namespace json = boost::json;

namespace {

std::string text_of(const connection_row& row) { return json::serialize(to_json(row)) + row.key_id; }

// Runs `f` in a transaction that is rolled back; returns the store_error it threw.
template <typename F>
store_error store_failure(connection_fixture& fx, F f) {
    pqxx::work tx(fx.conn());
    try {
        f(tx);
    } catch (const store_error& e) {
        return e;
    }
    FAIL("no store_error was thrown");
    throw std::logic_error("unreachable");
}

std::string error_text(const store_error& e) { return std::string(e.what()) + e.code + json::serialize(e.details); }

} // namespace

TEST_CASE("a created connection opens to its credentials and stores them only as ciphertext") {
    connection_fixture fx;
    vault v(master_key::generate());
    const auto id = fx.create(v, fx.org_a);
    pqxx::work tx(fx.conn());
    CHECK(json::parse(open_credentials(tx, v, fx.org_a, id)) == connection_fixture::good_credentials());
    auto r = tx.exec_params1("SELECT credentials, nonce, key_id, masked_summary::text FROM connections WHERE id = $1", id);
    const auto ciphertext = pqxx::binarystring(r[0]).str();
    CHECK_FALSE(has_text(ciphertext, "TOPSECRET"));
    CHECK(pqxx::binarystring(r[1]).size() == 12);
    CHECK(r[2].as<std::string>() == v.current_key_id());
    CHECK_FALSE(has_text(r[3].as<std::string>(), secret_api_key));
}

TEST_CASE("a created connection shows secret fields masked and other fields as they are") {
    connection_fixture fx;
    vault v(master_key::generate());
    pqxx::work tx(fx.conn());
    auto row = create_connection(tx, v, fx.org_a, fx.user_a, "demo_crm", "api_key", "CRM", connection_fixture::good_credentials());
    CHECK(row.masked_summary.at("api_key") == "••••XYZ9");
    CHECK(row.masked_summary.at("base_url") == "https://crm.example.com");
    CHECK(row.masked_summary.at("region") == "eu");
    CHECK(row.integration == "demo_crm");
    CHECK(row.connection_type == "api_key");
    CHECK(row.created_by == fx.user_a);
    CHECK(row.status == "active");
    CHECK(row.organization_id == fx.org_a);
    CHECK_FALSE(has_text(text_of(row), secret_api_key));
}

TEST_CASE("secret-looking fields are hidden even when the manifest does not declare them secret") {
    connection_fixture fx;
    vault v(master_key::generate());
    pqxx::work tx(fx.conn());
    auto creds = connection_fixture::good_credentials();
    creds.as_object()["options"] = json::object{{"refresh_token", "rt_0123456789abcdefSECRET"}, {"label", "x"}};
    auto row = create_connection(tx, v, fx.org_a, "", "demo_crm", "api_key", "CRM", creds);
    const auto summary = json::serialize(row.masked_summary);
    CHECK_FALSE(has_text(summary, "rt_0123456789abcdef"));
    CHECK(row.masked_summary.at("options").at("label") == "x");
}

TEST_CASE("credentials that violate the connection schema fail naming the field but never the value") {
    connection_fixture fx;
    vault v(master_key::generate());
    const std::string short_secret = "sk_short_SECRETVAL";
    auto e = store_failure(fx, [&](pqxx::work& tx) {
        create_connection(tx, v, fx.org_a, "", "demo_crm", "api_key", "CRM",
                          json::object{{"api_key", short_secret}, {"base_url", "https://x.example"}});
    });
    CHECK(e.code == "validation_failed");
    CHECK(has_text(e.what(), "credentials.api_key"));
    CHECK(has_text(json::serialize(e.details), "credentials.api_key"));
    CHECK_FALSE(has_text(error_text(e), short_secret));
    CHECK_FALSE(has_text(error_text(e), "SECRETVAL"));
}

TEST_CASE("a pattern or enum violation names the field and not the value") {
    connection_fixture fx;
    vault v(master_key::generate());
    auto e = store_failure(fx, [&](pqxx::work& tx) {
        create_connection(tx, v, fx.org_a, "", "demo_crm", "api_key", "CRM",
                          json::object{{"api_key", secret_api_key}, {"base_url", "http://plain.example"}, {"region", "mars-secret-region"}});
    });
    CHECK(e.code == "validation_failed");
    const auto details = json::serialize(e.details);
    CHECK(has_text(details, "credentials.base_url"));
    CHECK(has_text(details, "credentials.region"));
    CHECK_FALSE(has_text(error_text(e), "plain.example"));
    CHECK_FALSE(has_text(error_text(e), "mars-secret-region"));
    CHECK_FALSE(has_text(error_text(e), secret_api_key));
}

TEST_CASE("missing required credentials are named") {
    connection_fixture fx;
    vault v(master_key::generate());
    auto e = store_failure(fx, [&](pqxx::work& tx) {
        create_connection(tx, v, fx.org_a, "", "demo_crm", "api_key", "CRM", json::object{{"base_url", "https://x.example"}});
    });
    CHECK(e.code == "validation_failed");
    CHECK(has_text(json::serialize(e.details), "credentials.api_key"));
}

TEST_CASE("an unexpected credential field is refused by additionalProperties without its value") {
    connection_fixture fx;
    vault v(master_key::generate());
    auto creds = connection_fixture::good_credentials();
    creds.as_object()["password"] = "hunter2-very-secret";
    auto e = store_failure(fx, [&](pqxx::work& tx) { create_connection(tx, v, fx.org_a, "", "demo_crm", "api_key", "CRM", creds); });
    CHECK(e.code == "validation_failed");
    CHECK(has_text(json::serialize(e.details), "credentials.password"));
    CHECK_FALSE(has_text(error_text(e), "hunter2"));
    CHECK_FALSE(has_text(error_text(e), secret_api_key));
}

TEST_CASE("credentials that are not a JSON object are refused") {
    connection_fixture fx;
    vault v(master_key::generate());
    for (json::value bad : {json::value(secret_api_key), json::value(json::array{secret_api_key}), json::value(nullptr)}) {
        auto e = store_failure(fx, [&](pqxx::work& tx) { create_connection(tx, v, fx.org_a, "", "demo_crm", "api_key", "CRM", bad); });
        CHECK(e.code == "validation_failed");
        CHECK_FALSE(has_text(error_text(e), secret_api_key));
    }
}

TEST_CASE("an unknown integration or connection type is invalid input") {
    connection_fixture fx;
    vault v(master_key::generate());
    auto creds = connection_fixture::good_credentials();
    auto no_integration = store_failure(fx, [&](pqxx::work& tx) { create_connection(tx, v, fx.org_a, "", "nope", "api_key", "CRM", creds); });
    CHECK(no_integration.code == "invalid_input");
    CHECK(has_text(no_integration.what(), "nope"));
    auto no_type = store_failure(fx, [&](pqxx::work& tx) { create_connection(tx, v, fx.org_a, "", "demo_crm", "oauth", "CRM", creds); });
    CHECK(no_type.code == "invalid_input");
    CHECK(has_text(no_type.what(), "oauth"));
}

TEST_CASE("an empty name or a malformed organization id is invalid input") {
    connection_fixture fx;
    vault v(master_key::generate());
    auto creds = connection_fixture::good_credentials();
    CHECK(store_failure(fx, [&](pqxx::work& tx) { create_connection(tx, v, fx.org_a, "", "demo_crm", "api_key", "", creds); }).code ==
          "invalid_input");
    CHECK(store_failure(fx, [&](pqxx::work& tx) { create_connection(tx, v, "not-a-uuid", "", "demo_crm", "api_key", "CRM", creds); })
              .code == "invalid_input");
}

TEST_CASE("list and find return masked summaries and never the credentials") {
    connection_fixture fx;
    vault v(master_key::generate());
    const auto id = fx.create(v, fx.org_a, "first");
    fx.create(v, fx.org_a, "second");
    pqxx::work tx(fx.conn());
    auto list = list_connections(tx, fx.org_a);
    REQUIRE(list.size() == 2);
    CHECK(list[0].name == "second"); // newest first
    for (const auto& row : list) CHECK_FALSE(has_text(text_of(row), secret_api_key));
    auto found = find_connection(tx, fx.org_a, id);
    REQUIRE(found);
    CHECK(found->name == "first");
    CHECK_FALSE(has_text(text_of(*found), secret_api_key));
    CHECK(list_connections(tx, fx.org_a, "demo_crm").size() == 2);
    CHECK(list_connections(tx, fx.org_a, "other").empty());
}

TEST_CASE("another organization can neither see, change, open nor delete a connection") {
    connection_fixture fx;
    vault v(master_key::generate());
    const auto id = fx.create(v, fx.org_a);
    {
        pqxx::work tx(fx.conn());
        CHECK(list_connections(tx, fx.org_b).empty());
        CHECK_FALSE(find_connection(tx, fx.org_b, id));
        CHECK_FALSE(delete_connection(tx, fx.org_b, id));
        tx.commit();
    }
    CHECK(store_failure(fx, [&](pqxx::work& tx) { update_connection(tx, v, fx.org_b, id, json::object{{"name", "stolen"}}); }).code ==
          "not_found");
    CHECK(store_failure(fx, [&](pqxx::work& tx) { open_credentials(tx, v, fx.org_b, id); }).code == "not_found");
    pqxx::work tx(fx.conn());
    auto row = find_connection(tx, fx.org_a, id);
    REQUIRE(row);
    CHECK(row->name == "CRM");
}

TEST_CASE("a ciphertext copied into another organization's connection does not open there") {
    connection_fixture fx;
    vault v(master_key::generate());
    const auto a = fx.create(v, fx.org_a);
    const auto b = fx.create(v, fx.org_b);
    const auto a2 = fx.create(v, fx.org_a, "second");
    pqxx::work tx(fx.conn());
    tx.exec_params("UPDATE connections SET (credentials, nonce, key_id) = (SELECT credentials, nonce, key_id FROM connections "
                   "WHERE id = $1) WHERE id IN ($2, $3)",
                   a, b, a2);
    CHECK_THROWS_AS(open_credentials(tx, v, fx.org_b, b), vault_error);
    CHECK_THROWS_AS(open_credentials(tx, v, fx.org_a, a2), vault_error);
    CHECK(json::parse(open_credentials(tx, v, fx.org_a, a)) == connection_fixture::good_credentials());
}

TEST_CASE("updating credentials validates them, re-seals with a fresh nonce and rewrites the summary") {
    connection_fixture fx;
    vault v(master_key::generate());
    const auto id = fx.create(v, fx.org_a);
    pqxx::work tx(fx.conn());
    const auto nonce_before = pqxx::binarystring(tx.exec_params1("SELECT nonce FROM connections WHERE id = $1", id)[0]).str();
    const std::string new_key = "sk_live_ROTATED_credential_7777";
    auto row = update_connection(tx, v, fx.org_a, id,
                                 json::object{{"credentials", json::object{{"api_key", new_key}, {"base_url", "https://new.example"}}},
                                              {"name", "renamed"}, {"description", "d"}, {"status", "inactive"}});
    CHECK(row.name == "renamed");
    CHECK(row.description == "d");
    CHECK(row.status == "inactive");
    CHECK(row.masked_summary.at("api_key") == "••••7777");
    CHECK(row.masked_summary.at("base_url") == "https://new.example");
    CHECK_FALSE(row.masked_summary.contains("region"));
    const auto nonce_after = pqxx::binarystring(tx.exec_params1("SELECT nonce FROM connections WHERE id = $1", id)[0]).str();
    CHECK(nonce_after != nonce_before);
    CHECK(std::string(json::parse(open_credentials(tx, v, fx.org_a, id)).at("api_key").as_string()) == new_key);
}

TEST_CASE("updating with invalid credentials or unknown fields changes nothing and leaks nothing") {
    connection_fixture fx;
    vault v(master_key::generate());
    const auto id = fx.create(v, fx.org_a);
    auto bad = store_failure(fx, [&](pqxx::work& tx) {
        update_connection(tx, v, fx.org_a, id, json::object{{"credentials", json::object{{"api_key", "tooshort-SECRET"}}}});
    });
    CHECK(bad.code == "validation_failed");
    CHECK_FALSE(has_text(error_text(bad), "tooshort-SECRET"));
    CHECK(store_failure(fx, [&](pqxx::work& tx) { update_connection(tx, v, fx.org_a, id, json::object{{"key_id", "x"}}); }).code ==
          "invalid_input");
    CHECK(store_failure(fx, [&](pqxx::work& tx) { update_connection(tx, v, fx.org_a, id, json::object{{"status", "bogus"}}); }).code ==
          "invalid_input");
    CHECK(store_failure(fx, [&](pqxx::work& tx) { update_connection(tx, v, fx.org_a, id, json::object{{"name", 5}}); }).code ==
          "invalid_input");
    pqxx::work tx(fx.conn());
    CHECK(json::parse(open_credentials(tx, v, fx.org_a, id)) == connection_fixture::good_credentials());
}

TEST_CASE("renaming a connection keeps its ciphertext") {
    connection_fixture fx;
    vault v(master_key::generate());
    const auto id = fx.create(v, fx.org_a);
    pqxx::work tx(fx.conn());
    const auto before = pqxx::binarystring(tx.exec_params1("SELECT credentials FROM connections WHERE id = $1", id)[0]).str();
    update_connection(tx, v, fx.org_a, id, json::object{{"name", "renamed"}});
    const auto after = pqxx::binarystring(tx.exec_params1("SELECT credentials FROM connections WHERE id = $1", id)[0]).str();
    CHECK(before == after);
}

TEST_CASE("a deleted connection is gone and deleting it again reports false") {
    connection_fixture fx;
    vault v(master_key::generate());
    const auto id = fx.create(v, fx.org_a);
    pqxx::work tx(fx.conn());
    CHECK(delete_connection(tx, fx.org_a, id));
    CHECK_FALSE(find_connection(tx, fx.org_a, id));
    CHECK_FALSE(delete_connection(tx, fx.org_a, id));
}

TEST_CASE("malformed or unknown connection ids are not found and leave the transaction usable") {
    connection_fixture fx;
    vault v(master_key::generate());
    fx.create(v, fx.org_a);
    pqxx::work tx(fx.conn());
    CHECK_FALSE(find_connection(tx, fx.org_a, "not-a-uuid"));
    CHECK_FALSE(find_connection(tx, fx.org_a, "00000000-0000-0000-0000-000000000000"));
    CHECK_FALSE(delete_connection(tx, fx.org_a, "'; DROP TABLE connections; --"));
    try {
        open_credentials(tx, v, fx.org_a, "zzz");
        FAIL("opened a malformed id");
    } catch (const store_error& e) {
        CHECK(e.code == "not_found");
    }
    CHECK(list_connections(tx, fx.org_a).size() == 1);
}

TEST_CASE("a connection test result is recorded with its status") {
    connection_fixture fx;
    vault v(master_key::generate());
    const auto id = fx.create(v, fx.org_a);
    pqxx::work tx(fx.conn());
    auto failed = record_connection_test(tx, fx.org_a, id, false, json::object{{"message", "401 from server"}});
    CHECK(failed.status == "error");
    CHECK_FALSE(failed.last_tested_at.empty());
    CHECK(failed.test_result.at("message") == "401 from server");
    CHECK(record_connection_test(tx, fx.org_a, id, true, json::object{}).status == "active");
}

TEST_CASE("credentials sealed under an old key still open when the vault holds that key") {
    connection_fixture fx;
    auto old_key = master_key::generate();
    const auto id = fx.create(vault(old_key), fx.org_a);
    vault rotated(master_key::generate(), {old_key});
    vault without_old(master_key::generate());
    pqxx::work tx(fx.conn());
    CHECK(json::parse(open_credentials(tx, rotated, fx.org_a, id)) == connection_fixture::good_credentials());
    try {
        open_credentials(tx, without_old, fx.org_a, id);
        FAIL("opened without the key");
    } catch (const vault_error& e) {
        CHECK(has_text(e.what(), old_key.id()));
        CHECK_FALSE(has_text(e.what(), secret_api_key));
    }
}
