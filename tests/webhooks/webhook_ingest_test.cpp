// POST /webhooks/{endpoint} over real sockets against a real database.
#include <catch2/catch.hpp>

#include <atomic>
#include <set>
#include <thread>

#include "../http/test_servers.hpp"
#include "webhook_fixture.hpp"

using namespace sr::test;
namespace json = boost::json;

namespace {

raw_response post(std::uint16_t port, const std::string& target, const std::string& body, const std::string& headers) {
    raw_client client(port);
    client.send(raw_request("POST", target, body, headers));
    return client.read_response(std::chrono::seconds(10));
}

std::string signed_headers(const std::string& secret, const std::string& body, const std::string& ts,
                           const std::string& content_type = "application/json") {
    return "Content-Type: " + content_type + "\r\nX-Timestamp: " + ts + "\r\nX-Signature: sha256=" +
           hmac_hex(secret, ts + "." + body) + "\r\n";
}

struct whole_graph {}; // tag: the previous argument is the whole graph to publish

struct hooked {
    webhook_env env;
    std::string public_id, secret;
    explicit hooked(json::object settings = {}, const std::string& type = "system.webhook")
        : hooked(graph_with("hook", type, std::move(settings)), whole_graph{}) {}
    hooked(const json::value& graph, whole_graph) {
        auto endpoints = env.publish(graph);
        REQUIRE(endpoints.size() == 1);
        public_id = endpoints[0].public_id;
        secret = env.secret("hook");
    }
    std::string target() const { return "/webhooks/" + public_id; }
    long long runs() { return env.count("SELECT count(*) FROM runs"); }
    long long deliveries() { return env.count("SELECT count(*) FROM webhook_deliveries"); }
};

std::string reason_of(const raw_response& r) {
    return std::string(json::parse(r.body).at("reason").as_string());
}

} // namespace

TEST_CASE("a delivery signed with the endpoint's secret queues a run with the trigger data", "[webhooks]") {
    hooked h;
    webhook_server server(h.env);
    std::string body = R"({"order_id": 1042, "total": 99.5})";
    auto r = post(server.port(), h.target() + "?source=shop&tag=a+b",
                  body, signed_headers(h.secret, body, now_unix()) + "X-Custom: yes\r\nAuthorization: Bearer nope\r\n");
    REQUIRE(r.status == 202);
    auto answer = json::parse(r.body).as_object();
    std::string run_id(answer.at("run_id").as_string());
    CHECK(answer.at("status_url").as_string() == "/api/v1/runs/" + run_id);

    auto data = json::parse(h.env.text("SELECT trigger_data::text FROM runs WHERE id = '" + run_id + "'")).as_object();
    CHECK(data.at("body") == json::parse(body));
    CHECK(data.at("method") == "POST");
    CHECK(data.at("query") == json::parse(R"({"source": "shop", "tag": "a b"})"));
    CHECK(data.at("headers").as_object().at("x-custom") == "yes");
    CHECK(data.at("headers").as_object().contains("x-timestamp"));
    CHECK_FALSE(data.at("headers").as_object().contains("authorization"));
    CHECK_FALSE(data.at("headers").as_object().contains("x-signature"));
    CHECK(data.at("received_at").as_string().size() == 24);
    CHECK(h.env.text("SELECT status || ' ' || trigger_kind || ' ' || trigger_node_id FROM runs") == "queued webhook hook");
    CHECK(h.env.metrics.snapshot().accepted == 1);
}

TEST_CASE("a tampered body is refused with 401 and stores nothing", "[webhooks]") {
    hooked h;
    webhook_server server(h.env);
    std::string ts = now_unix();
    auto r = post(server.port(), h.target(), R"({"total": 1})", signed_headers(h.secret, R"({"total": 99})", ts));
    CHECK(r.status == 401);
    CHECK(reason_of(r) == "signature_mismatch");
    CHECK(h.runs() == 0);
    CHECK(h.deliveries() == 0);
    CHECK(h.env.metrics.snapshot().refused.at("signature_mismatch") == 1);
}

TEST_CASE("a delivery signed with another secret is refused", "[webhooks]") {
    hooked h;
    webhook_server server(h.env);
    std::string body = "{}";
    auto r = post(server.port(), h.target(), body, signed_headers("whsec_not-the-secret", body, now_unix()));
    CHECK(r.status == 401);
    CHECK(reason_of(r) == "signature_mismatch");
    CHECK(h.runs() == 0);
}

TEST_CASE("a delivery signed more than five minutes ago is refused as a replay", "[webhooks]") {
    hooked h;
    webhook_server server(h.env);
    std::string body = "{}";
    std::string old = std::to_string(std::stoll(now_unix()) - 301);
    auto r = post(server.port(), h.target(), body, signed_headers(h.secret, body, old));
    CHECK(r.status == 401);
    CHECK(reason_of(r) == "timestamp_outside_window");
    CHECK(h.runs() == 0);
    CHECK(h.deliveries() == 0);
}

TEST_CASE("a delivery without signature headers is refused with the missing header as reason", "[webhooks]") {
    hooked h;
    webhook_server server(h.env);
    auto no_signature = post(server.port(), h.target(), "{}", "Content-Type: application/json\r\nX-Timestamp: " + now_unix() + "\r\n");
    CHECK(no_signature.status == 401);
    CHECK(reason_of(no_signature) == "missing_signature");
    auto no_timestamp = post(server.port(), h.target(), "{}",
                             "Content-Type: application/json\r\nX-Signature: sha256=" + hmac_hex(h.secret, "1.{}") + "\r\n");
    CHECK(no_timestamp.status == 401);
    CHECK(reason_of(no_timestamp) == "missing_timestamp");
    CHECK(json::parse(no_timestamp.body).at("code") == "webhook_verification_failed");
    CHECK(h.runs() == 0);
    CHECK(h.deliveries() == 0);
}

TEST_CASE("a Stripe endpoint accepts a payload signed as Stripe documents and dedups on the event id", "[webhooks]") {
    hooked h({}, "stripe.event");
    webhook_server server(h.env);
    std::string body = R"({"id": "evt_1NG8Du2eZvKYlo2CUI79vXWy", "type": "charge.succeeded", "data": {"object": {}}})";
    std::string ts = now_unix();
    // https://docs.stripe.com/webhooks#verify-manually: v1 = HMAC-SHA256(secret, "<t>.<payload>")
    std::string header = "Content-Type: application/json; charset=utf-8\r\nStripe-Signature: t=" + ts +
                         ",v1=" + hmac_hex(h.secret, ts + "." + body) + ",v0=0000\r\n";
    auto first = post(server.port(), h.target(), body, header);
    REQUIRE(first.status == 202);
    auto again = post(server.port(), h.target(), body, header);
    CHECK(again.status == 200);
    CHECK(json::parse(again.body).at("run_id") == json::parse(first.body).at("run_id"));
    CHECK(h.runs() == 1);
    CHECK(h.env.text("SELECT idempotency_key FROM webhook_deliveries") == "event:evt_1NG8Du2eZvKYlo2CUI79vXWy");
    auto data = json::parse(h.env.text("SELECT trigger_data::text FROM runs")).as_object();
    CHECK_FALSE(data.at("headers").as_object().contains("stripe-signature"));
}

TEST_CASE("a Stripe endpoint refuses our own signature headers", "[webhooks]") {
    hooked h({}, "stripe.event");
    webhook_server server(h.env);
    std::string body = R"({"id": "evt_1"})";
    auto r = post(server.port(), h.target(), body, signed_headers(h.secret, body, now_unix()));
    CHECK(r.status == 401);
    CHECK(reason_of(r) == "missing_signature");
    CHECK(h.runs() == 0);
}

TEST_CASE("a Monday endpoint echoes the challenge handshake and starts nothing", "[webhooks]") {
    hooked h({}, "monday.item_changed");
    webhook_server server(h.env);
    auto r = post(server.port(), h.target(), R"({"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"})",
                  "Content-Type: application/json\r\n");
    REQUIRE(r.status == 200);
    CHECK(json::parse(r.body) == json::parse(R"({"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"})"));
    CHECK(h.runs() == 0);
    CHECK(h.env.metrics.snapshot().challenges == 1);

    auto event = post(server.port(), h.target(), R"({"event": {"id": 77, "pulseId": 5}})", "Content-Type: application/json\r\n");
    CHECK(event.status == 202);
    CHECK(h.env.text("SELECT idempotency_key FROM webhook_deliveries") == "event:77");
}

TEST_CASE("an endpoint with verification none accepts unsigned deliveries", "[webhooks]") {
    hooked h({{"verification", "none"}});
    webhook_server server(h.env);
    auto r = post(server.port(), h.target(), "name=Ada+Lovelace&tags=a&tags=b",
                  "Content-Type: application/x-www-form-urlencoded\r\n");
    REQUIRE(r.status == 202);
    auto data = json::parse(h.env.text("SELECT trigger_data::text FROM runs")).as_object();
    CHECK(data.at("body") == json::parse(R"({"name": "Ada Lovelace", "tags": ["a", "b"]})"));
}

TEST_CASE("a body that is neither JSON nor a form is kept as text, or base64 when it is not UTF-8", "[webhooks]") {
    hooked h({{"verification", "none"}});
    webhook_server server(h.env);
    REQUIRE(post(server.port(), h.target(), "plain words", "Content-Type: text/plain\r\n").status == 202);
    REQUIRE(post(server.port(), h.target(), std::string("\xff\x00\x01", 3), "Content-Type: application/octet-stream\r\n").status == 202);
    auto text = json::parse(h.env.text("SELECT trigger_data::text FROM runs WHERE trigger_data->'body' = '\"plain words\"'"));
    CHECK(text.at("body") == "plain words");
    auto binary = json::parse(h.env.text("SELECT trigger_data::text FROM runs WHERE trigger_data ? 'body_encoding'"));
    CHECK(binary.at("body") == "/wAB");
    CHECK(binary.at("body_encoding") == "base64");
}

TEST_CASE("an unknown or malformed endpoint id answers 404 and stores nothing", "[webhooks]") {
    hooked h({{"verification", "none"}});
    webhook_server server(h.env);
    auto unknown = post(server.port(), "/webhooks/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "{}", "Content-Type: application/json\r\n");
    CHECK(unknown.status == 404);
    CHECK(json::parse(unknown.body).at("code") == "webhook_not_found");
    CHECK(post(server.port(), "/webhooks/x'%20OR%201=1", "{}", "").status == 404);
    CHECK(h.runs() == 0);
    CHECK(h.env.metrics.snapshot().refused.at("unknown_endpoint") == 2);
}

TEST_CASE("a body over the webhook size limit answers 413 and stores nothing", "[webhooks]") {
    hooked h({{"verification", "none"}});
    sr::host::webhook_ingest_options options;
    options.body_limit = 1000;
    webhook_server server(h.env, options, 64 * 1024);
    auto mine = post(server.port(), h.target(), std::string(1001, 'x'), "Content-Type: text/plain\r\n");
    CHECK(mine.status == 413);
    CHECK(json::parse(mine.body).at("code") == "payload_too_large");
    auto servers = post(server.port(), h.target(), std::string(65 * 1024, 'x'), "Content-Type: text/plain\r\n");
    CHECK(servers.status == 413);
    CHECK(h.runs() == 0);
    CHECK(post(server.port(), h.target(), std::string(1000, 'x'), "Content-Type: text/plain\r\n").status == 202);
}

TEST_CASE("malformed JSON under a JSON content type answers 400 and stores nothing", "[webhooks]") {
    hooked h;
    webhook_server server(h.env);
    std::string body = R"({"total": )";
    auto r = post(server.port(), h.target(), body, signed_headers(h.secret, body, now_unix()) + "Idempotency-Key: k1\r\n");
    CHECK(r.status == 400);
    CHECK(json::parse(r.body).at("code") == "invalid_body");
    CHECK(h.runs() == 0);
    CHECK(h.deliveries() == 0);
}

TEST_CASE("a repeated Idempotency-Key returns the first run's id and starts nothing", "[webhooks]") {
    hooked h;
    webhook_server server(h.env);
    std::string body = R"({"n": 1})";
    auto first = post(server.port(), h.target(), body, signed_headers(h.secret, body, now_unix()) + "Idempotency-Key: order-1042\r\n");
    std::string body2 = R"({"n": 2})";
    auto second = post(server.port(), h.target(), body2, signed_headers(h.secret, body2, now_unix()) + "Idempotency-Key: order-1042\r\n");
    REQUIRE(first.status == 202);
    CHECK(second.status == 200);
    CHECK(json::parse(second.body).at("run_id") == json::parse(first.body).at("run_id"));
    CHECK(json::parse(second.body).at("duplicate") == true);
    CHECK(h.runs() == 1);
    CHECK(h.deliveries() == 1);
    CHECK(h.env.metrics.snapshot().duplicates == 1);
}

TEST_CASE("twenty concurrent deliveries with one Idempotency-Key start exactly one run", "[webhooks]") {
    hooked h;
    webhook_server server(h.env);
    std::string body = R"({"burst": true})";
    std::string headers = signed_headers(h.secret, body, now_unix()) + "Idempotency-Key: burst-1\r\n";
    std::vector<std::thread> senders;
    std::mutex mutex;
    std::vector<raw_response> answers;
    std::atomic<int> ready{0};
    for (int i = 0; i < 20; ++i)
        senders.emplace_back([&] {
            raw_client client(server.port());
            ++ready;
            while (ready.load() < 20) std::this_thread::yield();
            client.send(raw_request("POST", h.target(), body, headers));
            auto r = client.read_response(std::chrono::seconds(20));
            std::lock_guard lock(mutex);
            answers.push_back(std::move(r));
        });
    for (auto& t : senders) t.join();
    REQUIRE(answers.size() == 20);
    std::set<std::string> run_ids;
    int created = 0;
    for (const auto& a : answers) {
        REQUIRE((a.status == 202 || a.status == 200));
        created += a.status == 202;
        run_ids.insert(std::string(json::parse(a.body).at("run_id").as_string()));
    }
    CHECK(created == 1);
    CHECK(run_ids.size() == 1);
    CHECK(h.runs() == 1);
    CHECK(h.deliveries() == 1);
}

TEST_CASE("a paused scenario with policy reject refuses deliveries with 409", "[webhooks]") {
    hooked h({{"verification", "none"}});
    webhook_server server(h.env);
    h.env.execute("UPDATE scenarios SET status = 'paused', pause_policy = 'reject'");
    auto r = post(server.port(), h.target(), "{}", "Content-Type: application/json\r\nIdempotency-Key: p1\r\n");
    CHECK(r.status == 409);
    CHECK(json::parse(r.body).at("code") == "scenario_not_runnable");
    CHECK(h.runs() == 0);
    CHECK(h.deliveries() == 0);
}

TEST_CASE("a sync endpoint answers 202 with the run id when no run waiter is configured", "[webhooks]") {
    hooked h({{"verification", "none"}, {"response_mode", "sync"}, {"response_timeout_ms", 500}});
    webhook_server server(h.env);
    auto r = post(server.port(), h.target(), "{}", "Content-Type: application/json\r\n");
    REQUIRE(r.status == 202);
    CHECK(json::parse(r.body).as_object().contains("status_url"));
}

TEST_CASE("the endpoint secret never appears in responses, run records or logs", "[webhooks]") {
    hooked h;
    webhook_server server(h.env);
    std::vector<raw_response> answers;
    std::string body = R"({"a": 1})";
    answers.push_back(post(server.port(), h.target(), body, signed_headers(h.secret, body, now_unix())));
    answers.push_back(post(server.port(), h.target(), body, signed_headers(h.secret, "x", now_unix())));
    answers.push_back(post(server.port(), h.target(), "{", signed_headers(h.secret, "{", now_unix())));
    REQUIRE(answers[0].status == 202);
    for (const auto& a : answers) {
        CHECK(a.body.find(h.secret) == std::string::npos);
        for (const auto& [name, value] : a.headers) CHECK(value.find(h.secret) == std::string::npos);
    }
    CHECK(h.env.count("SELECT count(*) FROM runs WHERE trigger_data::text LIKE '%" + h.secret + "%'") == 0);
    CHECK(h.env.count("SELECT count(*) FROM webhook_endpoints WHERE position(convert_to('" + h.secret + "', 'UTF8') in secret) > 0") == 0);
    for (const auto& line : server.errors()) CHECK(line.find(h.secret) == std::string::npos);
}

namespace {

// Plays the worker's part: once the delivery's run is queued, reports its end to the waiters.
std::string notify_when_queued(hooked& h, sr::host::run_waiters& waiters, const std::string& status,
                               const json::value& error, const json::value& report) {
    for (int i = 0; i < 500; ++i) {
        std::string run_id = h.env.text("SELECT id::text FROM runs");
        if (!run_id.empty()) {
            waiters.notify(sr::host::run_outcome{run_id, status, error, report});
            return run_id;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return {};
}

json::value sync_graph() {
    auto g = graph_with("hook", "system.webhook", {{"verification", "none"}, {"response_mode", "sync"}, {"response_timeout_ms", 5000}});
    g.as_object()["nodes"].as_array().push_back(json::object{{"id", "reply"}, {"type", "system.respond"}, {"position", {{"x", 1}, {"y", 1}}}});
    return g;
}

} // namespace

TEST_CASE("a sync endpoint answers with the respond node's output once the run succeeds", "[webhooks]") {
    hooked h(sync_graph(), whole_graph{});
    webhook_server server(h.env, {}, 1024 * 1024, 4, true);
    std::string run_id;
    std::thread worker([&] {
        auto report = json::parse(R"({"status": "succeeded", "nodes": [
            {"node_id": "hook", "status": "succeeded", "output": {"body": {}}},
            {"node_id": "reply", "status": "succeeded", "output": {"status": 201, "headers": {"X-Order": "7"}, "body": {"ok": true}}}]})");
        run_id = notify_when_queued(h, *server.waiters(), "succeeded", nullptr, report);
    });
    auto r = post(server.port(), h.target(), "{}", "Content-Type: application/json\r\n");
    worker.join();
    REQUIRE(r.status == 201);
    CHECK(json::parse(r.body) == json::parse(R"({"ok": true})"));
    CHECK(*r.header("x-order") == "7");
    CHECK(*r.header("x-run-id") == run_id);
}

TEST_CASE("a sync endpoint whose run fails answers at once with the error and the run id", "[webhooks]") {
    hooked h(sync_graph(), whole_graph{});
    webhook_server server(h.env, {}, 1024 * 1024, 4, true);
    std::string run_id;
    std::thread worker([&] {
        run_id = notify_when_queued(h, *server.waiters(), "failed",
                                    json::parse(R"({"code": "action_execution_failed", "message": "boom", "node": "hook"})"),
                                    json::parse(R"({"status": "failed", "nodes": []})"));
    });
    auto r = post(server.port(), h.target(), "{}", "Content-Type: application/json\r\n");
    worker.join();
    REQUIRE(r.status == 500);
    auto body = json::parse(r.body);
    CHECK(body.at("code") == "run_failed");
    CHECK(body.at("run_id").as_string() == run_id);
    CHECK(body.at("error_code") == "action_execution_failed");
}

TEST_CASE("a sync endpoint whose run outlasts the timeout answers 202 with a status URL", "[webhooks]") {
    hooked h({{"verification", "none"}, {"response_mode", "sync"}, {"response_timeout_ms", 300}});
    webhook_server server(h.env, {}, 1024 * 1024, 4, true);
    auto start = std::chrono::steady_clock::now();
    auto r = post(server.port(), h.target(), "{}", "Content-Type: application/json\r\n");
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(250));
    REQUIRE(r.status == 202);
    CHECK(json::parse(r.body).at("status_url").as_string() == "/api/v1/runs/" + std::string(json::parse(r.body).at("run_id").as_string()));
}
