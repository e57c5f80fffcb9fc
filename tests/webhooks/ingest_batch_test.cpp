// Group commit of webhook deliveries (ingest_batcher): deliveries arriving together share a
// transaction, each still gets its own run and answer, and one that fails does not fail the
// others stored with it.
#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <set>
#include <thread>

#include "../http/test_servers.hpp"
#include "webhook_fixture.hpp"
#include "webhooks/ingest_batcher.hpp"

using namespace sr::test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

// Answers collected from respond_fn calls, waited for by count.
struct answers {
    std::mutex mutex;
    std::condition_variable changed;
    std::map<std::size_t, sr::host::http_response> by_index;
    std::map<std::size_t, int> calls;

    sr::host::respond_fn respond_for(std::size_t i) {
        return [this, i](sr::host::http_response r) {
            std::lock_guard lock(mutex);
            by_index[i] = std::move(r);
            ++calls[i];
            changed.notify_all();
        };
    }
    bool wait_for(std::size_t n, std::chrono::seconds limit) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, limit, [&] { return by_index.size() >= n; });
    }
};

sr::host::http_request json_post(const std::string& body) {
    sr::host::http_request r;
    r.method = "POST";
    r.target = r.path = "/webhooks/x";
    r.headers = {{"content-type", "application/json"}};
    r.body = body;
    return r;
}

} // namespace

TEST_CASE("deliveries arriving together share transactions and each still gets its own run", "[webhooks]") {
    webhook_env env;
    auto endpoints = env.publish(graph_with("hook", "system.webhook", {{"verification", "none"}}));
    REQUIRE(endpoints.size() == 1);
    webhook_server server(env);
    const int senders_count = 60;
    std::vector<std::thread> senders;
    std::mutex mutex;
    std::vector<raw_response> got;
    std::atomic<int> ready{0};
    for (int i = 0; i < senders_count; ++i)
        senders.emplace_back([&, i] {
            raw_client client(server.port());
            ++ready;
            while (ready.load() < senders_count) std::this_thread::yield();
            std::string body = "{\"n\": " + std::to_string(i) + "}";
            client.send(raw_request("POST", "/webhooks/" + endpoints[0].public_id, body,
                                    "Content-Type: application/json\r\n"));
            auto r = client.read_response(20s);
            std::lock_guard lock(mutex);
            got.push_back(std::move(r));
        });
    for (auto& t : senders) t.join();
    REQUIRE(got.size() == static_cast<std::size_t>(senders_count));
    std::set<std::string> run_ids;
    for (const auto& r : got) {
        REQUIRE(r.status == 202);
        run_ids.insert(std::string(json::parse(r.body).at("run_id").as_string()));
    }
    CHECK(run_ids.size() == static_cast<std::size_t>(senders_count));
    CHECK(env.count("SELECT count(*) FROM runs") == senders_count);
    CHECK(env.count("SELECT count(DISTINCT trigger_data->'body'->>'n') FROM runs") == senders_count);
    // Fewer transactions than deliveries: some committed together.
    CHECK(env.count("SELECT count(DISTINCT xmin::text) FROM runs") < senders_count);
    CHECK(env.metrics.snapshot().accepted == static_cast<std::uint64_t>(senders_count));
}

TEST_CASE("a delivery whose secret does not open fails alone and the deliveries stored with it are accepted",
          "[webhooks]") {
    webhook_env env;
    auto good = env.publish(graph_with("hook", "system.webhook", {{"verification", "none"}}));
    auto other = env.create_scenario();
    auto bad = env.publish(other, graph_with("hook", "system.webhook", {}));
    REQUIRE(good.size() == 1);
    REQUIRE(bad.size() == 1);
    env.execute("UPDATE webhook_endpoints SET secret = decode('00112233445566778899aabbccddeeff00', 'hex') "
                "WHERE scenario_id = '" + other + "'");
    sr::host::db_pool pool(env.db.conninfo(), 1);
    std::vector<std::string> errors;
    std::mutex errors_mutex;
    sr::host::webhook_context ctx{pool, env.keys, env.metrics, {}, nullptr, [&](std::string_view m) {
                                      std::lock_guard lock(errors_mutex);
                                      errors.emplace_back(m);
                                  }};
    auto batcher = std::make_shared<sr::host::ingest_batcher>(ctx, 128, 1);
    // One job at a time: while the first delivery commits, the rest queue up and are stored
    // together, the undecryptable one last among them.
    const std::size_t n = 30;
    std::vector<sr::host::http_request> requests;
    for (std::size_t i = 0; i < n; ++i) requests.push_back(json_post("{\"i\": " + std::to_string(i) + "}"));
    requests.back().headers.push_back({"x-timestamp", "1"});
    requests.back().headers.push_back({"x-signature", "sha256=00"});
    answers got;
    // Delivery 5 goes to an endpoint that does not exist: refused in the failed batch and again
    // when ingested alone, it is still counted once.
    const std::size_t unknown = 5;
    for (std::size_t i = 0; i < n; ++i)
        batcher->submit({&requests[i],
                         i + 1 == n ? bad[0].public_id : i == unknown ? std::string("no-such-endpoint") : good[0].public_id,
                         got.respond_for(i)});
    REQUIRE(got.wait_for(n, 20s));
    for (std::size_t i = 0; i + 1 < n; ++i) {
        INFO(i);
        CHECK(got.by_index[i].status == (i == unknown ? 404 : 202));
    }
    CHECK(got.by_index[n - 1].status == 500);
    auto counts = env.metrics.snapshot();
    CHECK(counts.accepted == n - 2);
    CHECK(counts.refused["unknown_endpoint"] == 1);
    CHECK(got.by_index[n - 1].body.find("internal_error") != std::string::npos);
    for (const auto& [i, calls] : got.calls) CHECK(calls == 1);
    CHECK(env.count("SELECT count(*) FROM runs") == static_cast<long long>(n - 2));
    CHECK(env.count("SELECT count(*) FROM runs WHERE scenario_id = '" + other + "'") == 0);
    std::lock_guard lock(errors_mutex);
    REQUIRE(!errors.empty());
    CHECK(errors.front().find("secret could not be opened") != std::string::npos);
}

TEST_CASE("deliveries waiting while the database cannot be reached are answered 503", "[webhooks]") {
    webhook_env env;
    auto endpoints = env.publish(graph_with("hook", "system.webhook", {{"verification", "none"}}));
    // A port nobody listens on (the test cluster's port plus one is not ours; pick a closed one).
    boost::asio::io_context probe;
    boost::asio::ip::tcp::acceptor closed(probe, {boost::asio::ip::make_address("127.0.0.1"), 0});
    auto port = closed.local_endpoint().port();
    closed.close();
    sr::host::db_pool pool("host=127.0.0.1 port=" + std::to_string(port) + " dbname=x connect_timeout=2", 1);
    sr::host::webhook_context ctx{pool, env.keys, env.metrics, {}, nullptr, {}};
    auto batcher = std::make_shared<sr::host::ingest_batcher>(ctx, 128, 1);
    std::vector<sr::host::http_request> requests(5, json_post("{}"));
    answers got;
    for (std::size_t i = 0; i < requests.size(); ++i)
        batcher->submit({&requests[i], endpoints[0].public_id, got.respond_for(i)});
    REQUIRE(got.wait_for(requests.size(), 30s));
    for (auto& [i, r] : got.by_index) {
        INFO(i);
        CHECK(r.status == 503);
        CHECK(r.body.find("database_unavailable") != std::string::npos);
    }
    CHECK(env.count("SELECT count(*) FROM runs") == 0);
}

TEST_CASE("a JSON body holding U+0000 is refused with 400 and stores nothing", "[webhooks]") {
    webhook_env env;
    auto endpoints = env.publish(graph_with("hook", "system.webhook", {{"verification", "none"}}));
    webhook_server server(env);
    raw_client client(server.port());
    client.send(raw_request("POST", "/webhooks/" + endpoints[0].public_id, R"({"name": "a\u0000b"})",
                            "Content-Type: application/json\r\n"));
    auto r = client.read_response(10s);
    CHECK(r.status == 400);
    CHECK(json::parse(r.body).at("code") == "invalid_body");
    CHECK(env.count("SELECT count(*) FROM runs") == 0);
}

TEST_CASE("a text body with NUL bytes is stored as base64", "[webhooks]") {
    webhook_env env;
    auto endpoints = env.publish(graph_with("hook", "system.webhook", {{"verification", "none"}}));
    webhook_server server(env);
    raw_client client(server.port());
    client.send(raw_request("POST", "/webhooks/" + endpoints[0].public_id, std::string("a\0b", 3),
                            "Content-Type: text/plain\r\n"));
    auto r = client.read_response(10s);
    REQUIRE(r.status == 202);
    CHECK(env.text("SELECT trigger_data->>'body' FROM runs") == "YQBi");
    CHECK(env.text("SELECT trigger_data->>'body_encoding' FROM runs") == "base64");
}
