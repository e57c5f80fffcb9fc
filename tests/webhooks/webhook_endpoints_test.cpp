// sync_webhook_endpoints and webhook_secret against a real database.
#include <catch2/catch.hpp>

#include "security/associated_data.hpp"
#include "store/store_error.hpp"
#include "webhook_fixture.hpp"

using namespace sr::test;
namespace json = boost::json;

TEST_CASE("publishing a webhook trigger creates an endpoint with a random public id and a sealed secret", "[webhooks]") {
    webhook_env env;
    auto endpoints = env.publish(graph_with("hook", "system.webhook"));
    REQUIRE(endpoints.size() == 1);
    const auto& e = endpoints[0];
    CHECK(e.created);
    CHECK(e.node_id == "hook");
    CHECK(e.public_id.size() >= 24);
    CHECK(e.public_id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos);
    CHECK(e.verification == "hmac_sha256");
    CHECK(e.response_mode == "async");
    CHECK(e.response_timeout_ms == 10000);

    std::string secret = env.secret("hook");
    CHECK(secret.size() >= 43);
    CHECK(e.secret.key_id == env.keys.current_key_id());
    CHECK(e.secret.ciphertext.find(secret) == std::string::npos);
    // Bound to its row: the ciphertext does not open as another endpoint's.
    CHECK_THROWS_AS(env.keys.open(e.secret, sr::host::webhook_secret_associated_data("00000000-0000-0000-0000-000000000000")),
                    sr::host::vault_error);
}

TEST_CASE("two endpoints never share a public id or a secret", "[webhooks]") {
    webhook_env env;
    auto endpoints = env.publish(graph_with_nodes({{"a", "system.webhook"}, {"b", "system.webhook"}}));
    REQUIRE(endpoints.size() == 2);
    CHECK(endpoints[0].public_id != endpoints[1].public_id);
    CHECK(env.secret("a") != env.secret("b"));
}

TEST_CASE("republishing keeps each endpoint's public id and secret and refreshes its settings", "[webhooks]") {
    webhook_env env;
    auto first = env.publish(graph_with("hook", "system.webhook"));
    std::string secret = env.secret("hook");
    auto second = env.publish(graph_with("hook", "system.webhook",
                                         {{"verification", "none"}, {"response_mode", "sync"}, {"response_timeout_ms", 2500}}));
    REQUIRE(second.size() == 1);
    CHECK_FALSE(second[0].created);
    CHECK(second[0].public_id == first[0].public_id);
    CHECK(env.secret("hook") == secret);
    CHECK(second[0].verification == "none");
    CHECK(second[0].response_mode == "sync");
    CHECK(second[0].response_timeout_ms == 2500);
    CHECK(env.count("SELECT count(*) FROM webhook_endpoints") == 1);
}

TEST_CASE("an endpoint whose node was removed is deactivated and comes back with its id when the node returns", "[webhooks]") {
    webhook_env env;
    auto first = env.publish(graph_with("hook", "system.webhook"));
    auto without = env.publish(graph_with_nodes({{"start", "system.manual"}}));
    CHECK(without.empty());
    CHECK(env.count("SELECT count(*) FROM webhook_endpoints WHERE NOT is_active") == 1);
    auto back = env.publish(graph_with("hook", "system.webhook"));
    REQUIRE(back.size() == 1);
    CHECK(back[0].public_id == first[0].public_id);
    CHECK(env.count("SELECT count(*) FROM webhook_endpoints WHERE is_active") == 1);
}

TEST_CASE("only triggers the plugin's manifest declares as webhooks get endpoints", "[webhooks]") {
    webhook_env env;
    // clock.webhook is a polling trigger despite its id; system.manual is manual; stripe.event
    // takes the manifest's verification scheme.
    auto endpoints = env.publish(graph_with_nodes({{"poll", "clock.webhook"}, {"start", "system.manual"}, {"pay", "stripe.event"}}));
    REQUIRE(endpoints.size() == 1);
    CHECK(endpoints[0].node_id == "pay");
    CHECK(endpoints[0].verification == "stripe");
}

TEST_CASE("a bad endpoint setting fails the publish with a problem naming the node", "[webhooks]") {
    webhook_env env;
    try {
        env.publish(graph_with("hook", "system.webhook", {{"verification", "md5"}}));
        FAIL("publish should have failed");
    } catch (const sr::host::store_error& e) {
        CHECK(e.code == "validation_failed");
        CHECK(e.details.as_array().at(0).at("node_id") == "hook");
        CHECK(e.details.as_array().at(0).at("field") == "settings.verification");
    }
    CHECK_THROWS_AS(env.publish(graph_with("hook", "system.webhook", {{"response_timeout_ms", 0}})), sr::host::store_error);
    CHECK(env.count("SELECT count(*) FROM webhook_endpoints") == 0);
}

TEST_CASE("another organization cannot read an endpoint's secret", "[webhooks]") {
    webhook_env env;
    env.publish(graph_with("hook", "system.webhook"));
    std::string other = env.create_organization("other");
    pqxx::work tx(env.conn);
    CHECK_THROWS_AS(sr::host::webhook_secret(tx, env.keys, other, env.scenario, "hook"), sr::host::store_error);
    CHECK_THROWS_AS(sr::host::webhook_secret(tx, env.keys, env.org, env.scenario, "nope"), sr::host::store_error);
    CHECK(sr::host::list_webhook_endpoints(tx, other, env.scenario).empty());
    auto mine = sr::host::list_webhook_endpoints(tx, env.org, env.scenario);
    REQUIRE(mine.size() == 1);
    CHECK(mine[0].secret.ciphertext.empty());
}
