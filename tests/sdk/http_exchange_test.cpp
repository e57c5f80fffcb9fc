// system.http_request's request building and error mapping, as pure functions (no host, no
// socket; the end-to-end exchange against a local server is tested with the host's client).
#include "http_exchange.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <string>
#include <variant>

using sr::plugins::system::build_http_request;
using sr::plugins::system::map_http_response;
using sr::plugins::system::url_origin;
namespace sdk = sr::sdk;

namespace {

sdk::http_request built(const char* settings, const char* idempotency_key = "") {
    auto r = build_http_request(boost::json::parse(settings).as_object(), idempotency_key);
    if (auto* error = std::get_if<sdk::result>(&r)) FAIL("unexpected error: " << error->message());
    return std::get<sdk::http_request>(r);
}

sdk::result refused(const char* settings) {
    auto r = build_http_request(boost::json::parse(settings).as_object(), "");
    REQUIRE(std::holds_alternative<sdk::result>(r));
    return std::get<sdk::result>(r);
}

const std::string* header(const sdk::http_request& r, const std::string& lower_name) {
    for (const auto& h : r.headers) {
        std::string name = h.name;
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (name == lower_name) return &h.value;
    }
    return nullptr;
}

sdk::http_response answered(int status, std::string body = "", std::vector<sdk::http_header> headers = {}) {
    sdk::http_response r;
    r.status = SR_OK;
    r.http_status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

sdk::http_response failed(sr_status status, std::string message) {
    sdk::http_response r;
    r.status = status;
    r.error_message = std::move(message);
    return r;
}

} // namespace

TEST_CASE("A request defaults to GET with no body and the host's timeout") {
    auto r = built(R"({"url":"http://127.0.0.1:9/x"})");
    CHECK(r.method == "GET");
    CHECK(r.url == "http://127.0.0.1:9/x");
    CHECK(r.body.empty());
    CHECK(r.timeout_ms == 0);
}

TEST_CASE("A request takes any method name, upper-cased, and its timeout") {
    auto r = built(R"({"url":"https://example.com","method":"propfind","timeout_ms":1500})");
    CHECK(r.method == "PROPFIND");
    CHECK(r.timeout_ms == 1500);
}

TEST_CASE("A JSON body is serialized and sent as application/json") {
    auto r = built(R"({"url":"https://example.com","method":"POST","body":{"a":[1,2]}})");
    CHECK(boost::json::parse(r.body) == boost::json::parse(R"({"a":[1,2]})"));
    REQUIRE(header(r, "content-type") != nullptr);
    CHECK(*header(r, "content-type") == "application/json");
}

TEST_CASE("A JSON body keeps a content-type given in the settings") {
    auto r = built(R"({"url":"https://example.com","headers":{"Content-Type":"application/vnd.api+json"},"body":[1]})");
    REQUIRE(header(r, "content-type") != nullptr);
    CHECK(*header(r, "content-type") == "application/vnd.api+json");
    int content_types = 0;
    for (const auto& h : r.headers) content_types += (h.name == "Content-Type" || h.name == "content-type") ? 1 : 0;
    CHECK(content_types == 1);
}

TEST_CASE("A string body is sent as is without a content-type") {
    auto r = built(R"({"url":"https://example.com","body":"plain text"})");
    CHECK(r.body == "plain text");
    CHECK(header(r, "content-type") == nullptr);
}

TEST_CASE("The call's idempotency key is forwarded as Idempotency-Key") {
    auto r = built(R"({"url":"https://example.com","headers":{"Accept":"*/*"}})", "run-1:node-1");
    REQUIRE(header(r, "idempotency-key") != nullptr);
    CHECK(*header(r, "idempotency-key") == "run-1:node-1");
    REQUIRE(header(r, "accept") != nullptr);
}

TEST_CASE("An Idempotency-Key set in the settings wins over the call's key") {
    auto r = built(R"({"url":"https://example.com","headers":{"idempotency-key":"mine"}})", "run-1:node-1");
    REQUIRE(header(r, "idempotency-key") != nullptr);
    CHECK(*header(r, "idempotency-key") == "mine");
}

TEST_CASE("Requests with bad settings are refused with action_validation_failed") {
    for (const char* settings : {R"({})", R"({"url":42})", R"({"url":"ftp://example.com"})", R"({"url":"http://"})",
                                 R"({"url":"https://a.b","method":"GE T"})", R"({"url":"https://a.b","headers":[1]})",
                                 R"({"url":"https://a.b","headers":{"x":"a\r\nb: c"}})",
                                 R"({"url":"https://a.b","headers":{"x":{"y":1}}})",
                                 R"({"url":"https://a.b","timeout_ms":0})", R"({"url":"https://a.b","timeout_ms":"5"})"}) {
        INFO(settings);
        auto r = refused(settings);
        CHECK(r.kind() == SR_RESULT_FATAL_ERROR);
        CHECK(r.code() == "action_validation_failed");
    }
}

TEST_CASE("url_origin keeps scheme, host and port but drops credentials, path and query") {
    CHECK(url_origin("https://user:pw@api.example.com:8443/v1/x?token=abc#f") == "https://api.example.com:8443");
    CHECK(url_origin("HTTP://example.com") == "http://example.com");
}

TEST_CASE("A 2xx JSON response becomes status, lower-case headers and the parsed body") {
    auto r = map_http_response(answered(201, R"({"id":5})", {{"Content-Type", "application/json; charset=utf-8"}}),
                               "POST", "https://example.com/items");
    REQUIRE(r.kind() == SR_RESULT_SUCCESS);
    CHECK(r.output() == boost::json::parse(R"({"status":201,"headers":{"content-type":"application/json; charset=utf-8"},
                                             "body":{"id":5}})"));
}

TEST_CASE("A non-JSON response body stays a string") {
    auto r = map_http_response(answered(200, "<p>hi</p>", {{"content-type", "text/html"}}), "GET", "https://e.com");
    REQUIRE(r.kind() == SR_RESULT_SUCCESS);
    CHECK(r.output().at("body") == "<p>hi</p>");
}

TEST_CASE("A response claiming JSON with a malformed body stays a string") {
    auto r = map_http_response(answered(200, "{oops", {{"content-type", "application/json"}}), "GET", "https://e.com");
    REQUIRE(r.kind() == SR_RESULT_SUCCESS);
    CHECK(r.output().at("body") == "{oops");
}

TEST_CASE("A binary response body is base64-encoded and flagged") {
    auto r = map_http_response(answered(200, std::string("\xff\x00\x01", 3)), "GET", "https://e.com");
    REQUIRE(r.kind() == SR_RESULT_SUCCESS);
    CHECK(r.output().at("body") == "/wAB");
    CHECK(r.output().at("body_encoding") == "base64");
}

TEST_CASE("Repeated response headers are joined with commas") {
    auto r = map_http_response(answered(200, "", {{"vary", "a"}, {"Vary", "b"}}), "GET", "https://e.com");
    CHECK(r.output().at("headers").at("vary") == "a, b");
}

TEST_CASE("A transport timeout is a retryable action_timeout") {
    auto r = map_http_response(failed(SR_ERR_TIMEOUT, "no answer within 100 ms"), "GET", "https://e.com/?k=secret");
    CHECK(r.kind() == SR_RESULT_RETRYABLE_ERROR);
    CHECK(r.code() == "action_timeout");
    CHECK(r.message().find("secret") == std::string::npos);
}

TEST_CASE("A connection failure is a retryable connection_failed") {
    auto r = map_http_response(failed(SR_ERR_CONNECT, "connection refused"), "GET", "http://127.0.0.1:1");
    CHECK(r.kind() == SR_RESULT_RETRYABLE_ERROR);
    CHECK(r.code() == "connection_failed");
    CHECK(r.message().find("connection refused") != std::string::npos);
}

TEST_CASE("429 is a retryable connection_rate_limited honouring Retry-After seconds") {
    auto r = map_http_response(answered(429, "", {{"Retry-After", "7"}}), "GET", "https://e.com");
    CHECK(r.kind() == SR_RESULT_RETRYABLE_ERROR);
    CHECK(r.code() == "connection_rate_limited");
    CHECK(r.retry_after_ms() == 7000);
}

TEST_CASE("429 with a Retry-After date or none asks for no particular wait") {
    auto dated = map_http_response(answered(429, "", {{"retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"}}), "GET", "https://e.com");
    CHECK(dated.retry_after_ms() == -1);
    auto bare = map_http_response(answered(429), "GET", "https://e.com");
    CHECK(bare.retry_after_ms() == -1);
}

TEST_CASE("5xx is a retryable action_execution_failed") {
    auto r = map_http_response(answered(503), "GET", "https://e.com");
    CHECK(r.kind() == SR_RESULT_RETRYABLE_ERROR);
    CHECK(r.code() == "action_execution_failed");
    CHECK(r.message().find("503") != std::string::npos);
}

TEST_CASE("401 and 403 are a fatal connection_invalid") {
    for (int status : {401, 403}) {
        auto r = map_http_response(answered(status), "GET", "https://e.com");
        CHECK(r.kind() == SR_RESULT_FATAL_ERROR);
        CHECK(r.code() == "connection_invalid");
    }
}

TEST_CASE("Other 4xx are a fatal action_validation_failed naming the status, not the URL's secrets") {
    auto r = map_http_response(answered(404, "not here"), "DELETE", "https://e.com/items/1?api_key=sk_live_123");
    CHECK(r.kind() == SR_RESULT_FATAL_ERROR);
    CHECK(r.code() == "action_validation_failed");
    CHECK(r.message().find("404") != std::string::npos);
    CHECK(r.message().find("sk_live_123") == std::string::npos);
    CHECK(r.output().at("body") == "not here");
}
