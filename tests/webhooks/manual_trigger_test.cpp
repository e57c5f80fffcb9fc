// POST /trigger/{scenario}: a manual run for a token holder allowed to run the scenario.
#include <catch2/catch.hpp>

#include "../http/test_servers.hpp"
#include "auth/account_repository.hpp"
#include "webhook_fixture.hpp"

using namespace sr::test;
namespace json = boost::json;

namespace {

std::string token_for(webhook_env& env, const std::string& org, const std::string& email, sr::host::role role) {
    pqxx::work tx(env.conn);
    auto user = sr::host::create_user(tx, email);
    sr::host::add_member(tx, org, user, role);
    auto token = sr::host::create_api_token(tx, org, user, "test").token;
    tx.commit();
    return token;
}

raw_response trigger(std::uint16_t port, const std::string& scenario, const std::string& token, const std::string& body = "",
                     const std::string& extra = "") {
    raw_client client(port);
    std::string headers = token.empty() ? extra : "Authorization: Bearer " + token + "\r\n" + extra;
    if (!body.empty()) headers += "Content-Type: application/json\r\n";
    client.send(raw_request("POST", "/trigger/" + scenario, body, headers));
    return client.read_response(std::chrono::seconds(10));
}

} // namespace

TEST_CASE("a member's token starts a manual run with the body as input and an audit row", "[webhooks]") {
    webhook_env env;
    env.publish(graph_with_nodes({{"start", "system.manual"}}));
    std::string token = token_for(env, env.org, "ada@example.com", sr::host::role::member);
    webhook_server server(env);
    auto r = trigger(server.port(), env.scenario, token, R"({"customer": 7})");
    REQUIRE(r.status == 202);
    std::string run_id(json::parse(r.body).at("run_id").as_string());
    CHECK(env.text("SELECT trigger_kind FROM runs WHERE id = '" + run_id + "'") == "manual");
    CHECK(json::parse(env.text("SELECT trigger_data::text FROM runs")).at("body") == json::parse(R"({"customer": 7})"));
    CHECK(env.count("SELECT count(*) FROM audit_logs WHERE resource_id = '" + run_id + "'") == 1);
    CHECK(r.body.find(token) == std::string::npos);
}

TEST_CASE("a manual trigger without a valid token answers 401 and starts nothing", "[webhooks]") {
    webhook_env env;
    env.publish(graph_with_nodes({{"start", "system.manual"}}));
    webhook_server server(env);
    CHECK(trigger(server.port(), env.scenario, "").status == 401);
    CHECK(trigger(server.port(), env.scenario, "srt_00000000_nottherealtoken").status == 401);
    CHECK(env.count("SELECT count(*) FROM runs") == 0);
}

TEST_CASE("a viewer may not trigger a run", "[webhooks]") {
    webhook_env env;
    env.publish(graph_with_nodes({{"start", "system.manual"}}));
    std::string token = token_for(env, env.org, "viewer@example.com", sr::host::role::viewer);
    webhook_server server(env);
    auto r = trigger(server.port(), env.scenario, token);
    CHECK(r.status == 403);
    CHECK(env.count("SELECT count(*) FROM runs") == 0);
}

TEST_CASE("another organization's scenario is not found by a manual trigger", "[webhooks]") {
    webhook_env env;
    env.publish(graph_with_nodes({{"start", "system.manual"}}));
    std::string other = env.create_organization("other");
    std::string token = token_for(env, other, "eve@example.com", sr::host::role::owner);
    webhook_server server(env);
    CHECK(trigger(server.port(), env.scenario, token).status == 404);
    CHECK(trigger(server.port(), "not-a-uuid", token).status == 404);
    CHECK(env.count("SELECT count(*) FROM runs") == 0);
}

TEST_CASE("a manual trigger with malformed JSON answers 400", "[webhooks]") {
    webhook_env env;
    env.publish(graph_with_nodes({{"start", "system.manual"}}));
    std::string token = token_for(env, env.org, "ada@example.com", sr::host::role::member);
    webhook_server server(env);
    auto r = trigger(server.port(), env.scenario, token, "{\"a\":");
    CHECK(r.status == 400);
    CHECK(json::parse(r.body).at("code") == "invalid_body");
    CHECK(env.count("SELECT count(*) FROM runs") == 0);
}

TEST_CASE("a manual trigger whose body holds U+0000 answers 400 instead of failing at the insert", "[webhooks]") {
    webhook_env env;
    env.publish(graph_with_nodes({{"start", "system.manual"}}));
    std::string token = token_for(env, env.org, "ada@example.com", sr::host::role::member);
    webhook_server server(env);
    auto r = trigger(server.port(), env.scenario, token, R"({"a": "x\u0000"})");
    CHECK(r.status == 400);
    CHECK(json::parse(r.body).at("code") == "invalid_body");
    CHECK(env.count("SELECT count(*) FROM runs") == 0);
}

TEST_CASE("a repeated manual trigger with one Idempotency-Key returns the first run", "[webhooks]") {
    webhook_env env;
    env.publish(graph_with_nodes({{"start", "system.manual"}}));
    std::string token = token_for(env, env.org, "ada@example.com", sr::host::role::member);
    webhook_server server(env);
    auto first = trigger(server.port(), env.scenario, token, "", "Idempotency-Key: once\r\n");
    auto second = trigger(server.port(), env.scenario, token, "", "Idempotency-Key: once\r\n");
    REQUIRE(first.status == 202);
    CHECK(second.status == 200);
    CHECK(json::parse(second.body).at("run_id") == json::parse(first.body).at("run_id"));
    CHECK(env.count("SELECT count(*) FROM runs") == 1);
}
