// Trigger data from a request: pure functions, no socket or database.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "webhooks/webhook_payload.hpp"
#include "webhooks/webhook_routes.hpp"

using namespace sr::host;
namespace json = boost::json;

TEST_CASE("a JSON media type with parameters or a +json suffix is parsed as JSON", "[webhooks]") {
    std::string type = "Application/JSON; charset=utf-8";
    CHECK(parse_webhook_body(R"({"a": [1]})", &type).value == json::parse(R"({"a": [1]})"));
    std::string suffix = "application/vnd.api+json";
    CHECK(parse_webhook_body("[true]", &suffix).value == json::parse("[true]"));
    CHECK(parse_webhook_body("", &type).value.is_null());
}

TEST_CASE("malformed JSON under a JSON media type is a payload error", "[webhooks]") {
    std::string type = "application/json";
    CHECK_THROWS_AS(parse_webhook_body("{\"a\":", &type), payload_error);
    CHECK_THROWS_AS(parse_webhook_body("not json", &type), payload_error);
}

TEST_CASE("a body without a content type is kept as text", "[webhooks]") {
    CHECK(parse_webhook_body(R"({"a": 1})", nullptr).value == json::string(R"({"a": 1})"));
}

TEST_CASE("form data with bad percent-escapes is a payload error", "[webhooks]") {
    CHECK_THROWS_AS(parse_form("a=%zz"), payload_error);
    CHECK_THROWS_AS(parse_form("a=%4"), payload_error);
    CHECK_THROWS_AS(parse_form("a=%ff"), payload_error); // not UTF-8 once decoded
    CHECK(parse_form("a=%C3%A9&&b") == json::parse(R"({"a": "é", "b": ""})"));
}

TEST_CASE("headers are lower-cased and credentials and signatures are dropped", "[webhooks]") {
    std::vector<http_header> headers{{"Content-Type", "application/json"}, {"Authorization", "Bearer t"},
                                     {"Cookie", "s=1"},                   {"X-Signature", "sha256=ab"},
                                     {"Stripe-Signature", "t=1,v1=ab"},   {"X-Tag", "a"},
                                     {"x-tag", "b"}};
    CHECK(visible_headers(headers) == json::parse(R"({"content-type": "application/json", "x-tag": "a, b"})"));
}

TEST_CASE("a sync answer sends the respond node's status, headers and body", "[webhooks]") {
    finished_run run{"succeeded", json::parse(R"({"status": 201, "headers": {"X-Order": "7"}, "body": {"ok": true}})"), "", ""};
    auto res = sync_answer("r1", run);
    CHECK(res.status == 201);
    CHECK(*res.header("x-order") == "7");
    CHECK(json::parse(res.body) == json::parse(R"({"ok": true})"));
}

TEST_CASE("a sync answer for a failed run carries the error and the run id", "[webhooks]") {
    finished_run run{"failed", nullptr, "action_execution_failed", "boom"};
    auto res = sync_answer("r1", run);
    CHECK(res.status == 500);
    auto body = json::parse(res.body);
    CHECK(body.at("run_id") == "r1");
    CHECK(body.at("error_code") == "action_execution_failed");
    CHECK(body.at("code") == "run_failed");
}

TEST_CASE("a finished run's sync answer is the output of its last succeeded respond node", "[webhooks]") {
    run_outcome outcome{"r1", "succeeded", nullptr, json::parse(R"({"nodes": [
        {"node_id": "a", "status": "succeeded", "output": {"status": 203}},
        {"node_id": "reply", "status": "succeeded", "output": {"status": 201, "body": "first"}},
        {"node_id": "late", "status": "skipped", "output": null}]})")};
    auto run = to_finished_run(outcome, {"reply", "late"});
    CHECK(run.status == "succeeded");
    CHECK(run.response == json::parse(R"({"status": 201, "body": "first"})"));
    CHECK(to_finished_run(outcome, {}).response.is_null());
}
