// The HTTP server over real sockets on 127.0.0.1.
#include "server_fixture.hpp"
#include "test_servers.hpp"

#include "http/problem.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <future>

using namespace sr::test;
using namespace std::chrono_literals;
namespace json = boost::json;
namespace host = sr::host;

namespace {

raw_response get(std::uint16_t port, std::string_view target) {
    raw_client c(port);
    c.send(raw_request("GET", target));
    return c.read_response();
}

host::http_server_config short_config() {
    host::http_server_config config;
    config.body_limit = 1024;
    config.read_timeout = 300ms;
    return config;
}

void check_problem(const raw_response& r, int status, std::string_view code) {
    CHECK(r.status == status);
    REQUIRE(r.header("content-type"));
    CHECK(*r.header("content-type") == "application/problem+json");
    auto body = json::parse(r.body).as_object();
    CHECK(body.at("status").as_int64() == status);
    CHECK(body.at("code").as_string() == code);
    CHECK(body.at("type").as_string() == sr::host::problem_type(code));
    CHECK(body.contains("title"));
    CHECK(body.contains("detail"));
}

} // namespace

TEST_CASE("GET /health answers 200 with status ok while the database is reachable") {
    running_server s;
    auto r = get(s.port(), "/health");
    CHECK(r.status == 200);
    CHECK(*r.header("content-type") == "application/json");
    CHECK(json::parse(r.body) == json::parse(R"({"status":"ok","database":"ok"})"));
}

TEST_CASE("GET /health answers 503 while the database is unreachable, and 200 again once it is back") {
    running_server s;
    s.database_up = false;
    auto down = get(s.port(), "/health");
    CHECK(down.status == 503);
    CHECK(json::parse(down.body) == json::parse(R"({"status":"unavailable","database":"unreachable"})"));
    s.database_up = true;
    CHECK(get(s.port(), "/health").status == 200);
}

TEST_CASE("GET /system/info answers with the JSON the daemon provides") {
    running_server s;
    auto r = get(s.port(), "/system/info");
    CHECK(r.status == 200);
    CHECK(json::parse(r.body) == json::parse(R"({"version":"9.9.9","abi":1})"));
}

TEST_CASE("An unknown path gets a 404 problem document") {
    running_server s;
    check_problem(get(s.port(), "/no/such/thing"), 404, "not_found");
}

TEST_CASE("A known path with another method gets 405 with an Allow header") {
    running_server s;
    raw_client c(s.port());
    c.send(raw_request("POST", "/health", "{}"));
    auto r = c.read_response();
    check_problem(r, 405, "method_not_allowed");
    REQUIRE(r.header("allow"));
    CHECK(*r.header("allow") == "GET, HEAD");
}

TEST_CASE("HEAD on a GET route answers the headers with the GET body's length and no body") {
    running_server s;
    raw_client c(s.port());
    c.send(raw_request("HEAD", "/health"));
    auto r = c.read_response(5s, true);
    CHECK(r.status == 200);
    CHECK(r.body.empty());
    CHECK(*r.header("content-length") == std::to_string(std::string(R"({"status":"ok","database":"ok"})").size()));
    // The connection is still usable: no stray body bytes follow.
    c.send(raw_request("GET", "/health"));
    CHECK(c.read_response().status == 200);
}

TEST_CASE("A request announcing its body with Expect: 100-continue gets the go-ahead before the body") {
    running_server s({}, [](host::router& r) {
        r.add("POST", "/echo", [](const host::http_request& req, const host::route_params&) {
            return host::http_response::text(200, req.body);
        });
    });
    raw_client c(s.port());
    c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    CHECK(c.read_response(1s).status == 100); // well before a client's own 1 s fallback
    c.send("hello");
    auto r = c.read_response();
    CHECK(r.status == 200);
    CHECK(r.body == "hello");
}

TEST_CASE("A request announcing an oversized body with Expect: 100-continue gets 413 without sending it") {
    running_server s(short_config());
    raw_client c(s.port());
    c.send("POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 999999\r\nExpect: 100-continue\r\n\r\n");
    check_problem(c.read_response(), 413, "body_too_large");
}

TEST_CASE("A malformed request line gets 400 and the connection is closed") {
    running_server s;
    raw_client c(s.port());
    c.send("THIS IS NOT HTTP\r\n\r\n");
    auto r = c.read_response();
    check_problem(r, 400, "malformed_request");
    CHECK(c.closed_within(2s));
}

TEST_CASE("A request target that is not an absolute path gets 400") {
    running_server s;
    raw_client c(s.port());
    c.send("GET http://example.com/health HTTP/1.1\r\nHost: example.com\r\n\r\n");
    check_problem(c.read_response(), 400, "malformed_request");
}

TEST_CASE("A body larger than the limit gets 413") {
    running_server s(short_config());
    raw_client c(s.port());
    c.send(raw_request("POST", "/health", std::string(4096, 'x')));
    check_problem(c.read_response(), 413, "body_too_large");
}

TEST_CASE("A chunked body that grows past the limit gets 413") {
    running_server s(short_config());
    raw_client c(s.port());
    std::string chunk(800, 'y');
    c.send("POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
           "320\r\n" + chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n");
    check_problem(c.read_response(), 413, "body_too_large");
}

TEST_CASE("A header larger than the limit gets 431") {
    auto config = short_config();
    config.header_limit = 1024;
    running_server s(config);
    raw_client c(s.port());
    c.send(raw_request("GET", "/health", {}, "X-Big: " + std::string(4096, 'h') + "\r\n"));
    check_problem(c.read_response(), 431, "header_too_large");
}

TEST_CASE("A client that sends half a request is disconnected after the read deadline") {
    running_server s(short_config()); // 300 ms
    raw_client c(s.port());
    auto start = std::chrono::steady_clock::now();
    c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // no final empty line
    CHECK(c.closed_within(3s));
    auto waited = std::chrono::steady_clock::now() - start;
    CHECK(waited >= 250ms);
}

TEST_CASE("A client that trickles its body slower than the deadline is disconnected") {
    running_server s(short_config());
    raw_client c(s.port());
    c.send("POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n");
    bool closed = false;
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 30 && !closed; ++i) {
        c.send("x");
        closed = c.closed_within(100ms);
    }
    CHECK(closed);
    CHECK(std::chrono::steady_clock::now() - start < 2s);
}

TEST_CASE("Keep-alive serves two requests on one connection") {
    running_server s;
    raw_client c(s.port());
    c.send(raw_request("GET", "/health"));
    auto first = c.read_response();
    CHECK(first.status == 200);
    CHECK(first.keep_alive);
    c.send(raw_request("GET", "/system/info"));
    CHECK(c.read_response().status == 200);
    CHECK(s.server().connection_count() == 1);
}

TEST_CASE("Pipelined requests are answered in order") {
    running_server s;
    raw_client c(s.port());
    c.send(raw_request("GET", "/health") + raw_request("GET", "/nope") + raw_request("GET", "/system/info"));
    CHECK(c.read_response().status == 200);
    CHECK(c.read_response().status == 404);
    CHECK(c.read_response().status == 200);
}

TEST_CASE("A request with Connection: close is answered and the connection closed") {
    running_server s;
    raw_client c(s.port());
    c.send(raw_request("GET", "/health", {}, "Connection: close\r\n"));
    auto r = c.read_response();
    CHECK(r.status == 200);
    CHECK_FALSE(r.keep_alive);
    CHECK(c.closed_within(2s));
}

TEST_CASE("Many concurrent connections are all served") {
    running_server s;
    std::vector<std::unique_ptr<raw_client>> clients;
    for (int i = 0; i < 200; ++i) clients.push_back(std::make_unique<raw_client>(s.port()));
    for (auto& c : clients) c->send(raw_request("GET", "/health"));
    int ok = 0;
    for (auto& c : clients) ok += c->read_response(10s).status == 200;
    CHECK(ok == 200);
}

TEST_CASE("A handler that throws gets 500, is logged, and the server keeps serving") {
    running_server s({}, [](host::router& r) {
        r.add("GET", "/boom", [](const host::http_request&, const host::route_params&) -> host::http_response {
            throw std::runtime_error("secret-free failure");
        });
    });
    check_problem(get(s.port(), "/boom"), 500, "internal_error");
    CHECK(get(s.port(), "/health").status == 200);
    auto errors = s.errors();
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("secret-free failure") != std::string::npos);
}

TEST_CASE("The handler sees method, decoded route parameters, query, lower-case headers and body") {
    running_server s({}, [](host::router& r) {
        r.add("POST", "/things/{id}/parts/{part}", [](const host::http_request& req, const host::route_params& p) {
            json::object o{{"id", *p.get("id")},        {"part", *p.get("part")}, {"query", req.query},
                           {"body", req.body},          {"method", req.method},
                           {"custom", *req.header("x-custom")}};
            return host::http_response::json(201, o);
        });
    });
    raw_client c(s.port());
    c.send(raw_request("POST", "/things/a%20b/parts/7?x=1", "payload", "X-Custom: Yes\r\n"));
    auto r = c.read_response();
    CHECK(r.status == 201);
    CHECK(json::parse(r.body) == json::parse(R"({"id":"a b","part":"7","query":"x=1","body":"payload",
                                                 "method":"POST","custom":"Yes"})"));
}

TEST_CASE("Graceful stop closes idle connections and completes quickly") {
    running_server s;
    raw_client idle(s.port());
    idle.send(raw_request("GET", "/health"));
    CHECK(idle.read_response().status == 200);
    auto took = s.stop(5s);
    CHECK(took < 2s);
    CHECK(idle.closed_within(1s));
}

TEST_CASE("Graceful stop lets a request in flight finish, then closes its connection") {
    std::promise<void> entered, release;
    auto released = release.get_future().share();
    running_server s({}, [&](host::router& r) {
        r.add("GET", "/slow", [&](const host::http_request&, const host::route_params&) {
            entered.set_value();
            released.wait();
            return host::http_response::text(200, "done");
        });
    });
    raw_client c(s.port());
    c.send(raw_request("GET", "/slow"));
    entered.get_future().wait();
    std::thread stopper([&] { s.stop(5s); });
    std::this_thread::sleep_for(100ms);
    release.set_value();
    auto r = c.read_response();
    stopper.join();
    CHECK(r.status == 200);
    CHECK(r.body == "done");
    CHECK_FALSE(r.keep_alive);
    CHECK(c.closed_within(1s));
}

TEST_CASE("Graceful stop closes a half-received request when the grace period ends") {
    running_server s; // 30 s read deadline: only the grace period can end this
    raw_client c(s.port());
    c.send("GET /health HTTP/1.1\r\nHost: x\r\n");
    std::this_thread::sleep_for(100ms);
    auto took = s.stop(300ms);
    CHECK(took >= 250ms);
    CHECK(took < 3s);
    CHECK(c.closed_within(1s));
}

TEST_CASE("After stop the server no longer accepts connections") {
    running_server s;
    auto port = s.port();
    s.stop(1s);
    CHECK_THROWS(raw_client(port));
}

TEST_CASE("Starting twice throws") {
    running_server s;
    CHECK_THROWS_AS(s.server().start(), std::logic_error);
}

TEST_CASE("Starting on a port that is taken throws") {
    running_server first;
    boost::asio::io_context ioc;
    host::http_server_config config;
    config.listen = "127.0.0.1:" + std::to_string(first.port());
    host::http_server second(ioc, config, [](const host::http_request&) { return host::http_response{}; });
    CHECK_THROWS_AS(second.start(), std::system_error);
}

TEST_CASE("A request's client address is the peer's, or X-Forwarded-For's when the peer is a trusted proxy") {
    auto echo_client = [](host::router& r) {
        r.add("GET", "/whoami", [](const host::http_request& req, const host::route_params&) {
            return host::http_response::text(200, req.remote_address);
        });
    };
    const std::string forwarded = "X-Forwarded-For: 198.51.100.4, 203.0.113.9\r\n";
    {
        running_server s({}, echo_client); // trusts nobody: the header is ignored
        raw_client c(s.port());
        c.send(raw_request("GET", "/whoami", {}, forwarded));
        CHECK(c.read_response().body == "127.0.0.1");
    }
    {
        host::http_server_config config;
        config.proxies = host::trusted_proxies::parse("127.0.0.1");
        running_server s(config, echo_client);
        raw_client c(s.port());
        c.send(raw_request("GET", "/whoami", {}, forwarded));
        CHECK(c.read_response().body == "203.0.113.9");
        c.send(raw_request("GET", "/whoami"));
        CHECK(c.read_response().body == "127.0.0.1");
    }
}
