// The async HTTP client against small local servers on 127.0.0.1.
#include "test_servers.hpp"

#include "http/http_client.hpp"
#include "test_paths.hpp"

#include <catch2/catch.hpp>

#include <boost/asio/executor_work_guard.hpp>

#include <future>

using namespace sr::test;
using namespace std::chrono_literals;
using sr::host::http_client;
using sr::host::http_client_request;
using sr::host::http_client_response;
namespace net = boost::asio;

namespace {

const std::string* find(const http_client_response& r, std::string_view name) {
    for (const auto& [n, v] : r.headers)
        if (n == name) return &v;
    return nullptr;
}

// An http_client on an io_context run by two threads.
class client_fixture {
public:
    explicit client_fixture(sr::host::http_client_config config = {})
        : work_(net::make_work_guard(ioc_)), client_(ioc_, std::move(config)) {
        for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
    }
    ~client_fixture() {
        work_.reset();
        for (auto& t : threads_) t.join();
    }
    // Runs one request and waits for its callback, which must run exactly once.
    http_client_response fetch(http_client_request req) {
        auto calls = std::make_shared<std::atomic<int>>(0);
        auto result = std::make_shared<std::promise<http_client_response>>();
        client_.request(std::move(req), [calls, result](http_client_response&& r) {
            if (++*calls == 1) result->set_value(std::move(r));
        });
        auto future = result->get_future();
        REQUIRE(future.wait_for(20s) == std::future_status::ready);
        auto r = future.get();
        std::this_thread::sleep_for(50ms); // room for a wrong second call
        CHECK(*calls == 1);
        return r;
    }
    http_client& client() { return client_; }

private:
    net::io_context ioc_;
    net::executor_work_guard<net::io_context::executor_type> work_;
    http_client client_;
    std::vector<std::thread> threads_;
};

std::string url(const scripted_server& s, std::string_view path = "/", std::string_view scheme = "http") {
    return std::string(scheme) + "://127.0.0.1:" + std::to_string(s.port()) + std::string(path);
}

http_client_request get(std::string u) {
    http_client_request r;
    r.url = std::move(u);
    return r;
}

// A port on which nothing listens.
std::uint16_t closed_port() {
    net::io_context ioc;
    net::ip::tcp::acceptor a(ioc, {net::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port();
}

} // namespace

TEST_CASE("A request gets the status, lower-case headers and body of the response") {
    std::promise<received_request> seen;
    scripted_server server([&](server_connection& c) {
        auto req = c.read_request();
        if (!req) return;
        seen.set_value(*req);
        c.write("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-Multi: a\r\nX-Multi: b\r\n"
                "Content-Length: 11\r\n\r\n{\"ok\":true}");
    });
    client_fixture f;
    http_client_request req;
    req.method = "POST";
    req.url = url(server, "/wp-json/wp/v2/posts?context=edit");
    req.headers = {{"Authorization", "Basic abc"}, {"Content-Type", "application/json"}};
    req.body = R"({"title":"hi"})";
    auto r = f.fetch(req);

    CHECK(r.status == SR_OK);
    CHECK(r.http_status == 201);
    CHECK(r.body == R"({"ok":true})");
    CHECK(r.error_message.empty());
    REQUIRE(find(r, "content-type"));
    CHECK(*find(r, "content-type") == "application/json");
    int multi = 0;
    for (auto& [n, v] : r.headers) multi += n == "x-multi";
    CHECK(multi == 2);

    auto sent = seen.get_future().get();
    CHECK(sent.method == "POST");
    CHECK(sent.target == "/wp-json/wp/v2/posts?context=edit");
    CHECK(sent.body == R"({"title":"hi"})");
    CHECK(*sent.header("authorization") == "Basic abc");
    CHECK(*sent.header("host") == "127.0.0.1:" + std::to_string(server.port()));
    CHECK(*sent.header("content-length") == "14");
    CHECK(sent.header("user-agent"));
}

TEST_CASE("A response without Content-Length ends when the server closes the connection") {
    scripted_server server([](server_connection& c) {
        if (!c.read_request()) return;
        c.write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n<p>hello ");
        std::this_thread::sleep_for(50ms);
        c.write("world</p>");
        c.close();
    });
    client_fixture f;
    auto r = f.fetch(get(url(server)));
    CHECK(r.status == SR_OK);
    CHECK(r.http_status == 200);
    CHECK(r.body == "<p>hello world</p>");
}

TEST_CASE("A chunked response is reassembled") {
    scripted_server server([](server_connection& c) {
        if (!c.read_request()) return;
        c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
        std::this_thread::sleep_for(30ms);
        c.write("1;ext=1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n");
    });
    client_fixture f;
    auto r = f.fetch(get(url(server)));
    CHECK(r.status == SR_OK);
    CHECK(r.body == "hello world");
}

TEST_CASE("An interim 100 Continue answer is skipped") {
    scripted_server server([](server_connection& c) {
        if (!c.read_request()) return;
        c.write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    });
    client_fixture f;
    auto r = f.fetch(get(url(server)));
    CHECK(r.http_status == 200);
    CHECK(r.body == "ok");
}

TEST_CASE("Expect: 100-continue is never sent, so servers that ignore it answer at once") {
    std::promise<received_request> seen;
    scripted_server server([&](server_connection& c) {
        auto req = c.read_request();
        if (!req) return;
        seen.set_value(*req);
        c.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    });
    client_fixture f;
    http_client_request req = get(url(server));
    req.method = "PUT";
    req.body = std::string(100000, 'b');
    req.headers = {{"Expect", "100-continue"}};
    req.timeout = 2s;
    auto r = f.fetch(req);
    CHECK(r.status == SR_OK);
    auto sent = seen.get_future().get();
    CHECK(sent.header("expect") == nullptr);
    CHECK(sent.body.size() == 100000);
}

TEST_CASE("An error status is still a response (SR_OK with the HTTP status)") {
    scripted_server server([](server_connection& c) {
        if (!c.read_request()) return;
        c.write("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found");
    });
    client_fixture f;
    auto r = f.fetch(get(url(server)));
    CHECK(r.status == SR_OK);
    CHECK(r.http_status == 404);
    CHECK(r.body == "not found");
}

TEST_CASE("A server that never answers ends in SR_ERR_TIMEOUT after the request timeout") {
    scripted_server server([](server_connection& c) {
        c.read_request();
        c.wait_for_close(10s);
    });
    client_fixture f;
    auto req = get(url(server));
    req.timeout = 300ms;
    auto start = std::chrono::steady_clock::now();
    auto r = f.fetch(req);
    auto took = std::chrono::steady_clock::now() - start;
    CHECK(r.status == SR_ERR_TIMEOUT);
    CHECK(r.http_status == 0);
    CHECK_FALSE(r.error_message.empty());
    CHECK(took >= 250ms);
    CHECK(took < 3s);
}

TEST_CASE("A closed port ends in SR_ERR_CONNECT") {
    client_fixture f;
    auto r = f.fetch(get("http://127.0.0.1:" + std::to_string(closed_port()) + "/"));
    CHECK(r.status == SR_ERR_CONNECT);
    CHECK(r.error_message.find("connect") != std::string::npos);
}

TEST_CASE("A response body larger than the limit ends in SR_ERR_TOO_LARGE") {
    scripted_server server([](server_connection& c) {
        if (!c.read_request()) return;
        c.write("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + std::string(5000, 'z'));
    });
    client_fixture f;
    auto req = get(url(server));
    req.max_response_bytes = 1000;
    CHECK(f.fetch(req).status == SR_ERR_TOO_LARGE);
}

TEST_CASE("A chunked or close-delimited body growing past the limit ends in SR_ERR_TOO_LARGE") {
    scripted_server server([](server_connection& c) {
        auto req = c.read_request();
        if (!req) return;
        if (req->target == "/chunked")
            c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + std::string(1024, 'c') +
                    "\r\n400\r\n" + std::string(1024, 'c') + "\r\n0\r\n\r\n");
        else
            c.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + std::string(3000, 'e'));
        c.close();
    });
    client_fixture f;
    for (auto path : {"/chunked", "/close"}) {
        INFO(path);
        auto req = get(url(server, path));
        req.max_response_bytes = 1500;
        CHECK(f.fetch(req).status == SR_ERR_TOO_LARGE);
    }
}

TEST_CASE("A connection that breaks in the middle of the body ends in SR_ERR_IO") {
    scripted_server server([](server_connection& c) {
        if (!c.read_request()) return;
        c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part");
        c.close();
    });
    client_fixture f;
    CHECK(f.fetch(get(url(server))).status == SR_ERR_IO);
}

TEST_CASE("A garbage response ends in SR_ERR_IO") {
    scripted_server server([](server_connection& c) {
        if (!c.read_request()) return;
        c.write("SSH-2.0-OpenSSH_9.2\r\n\r\n");
        c.close();
    });
    client_fixture f;
    CHECK(f.fetch(get(url(server))).status == SR_ERR_IO);
}

TEST_CASE("Cancelling mid-request ends in SR_ERR_CANCELLED and closes the socket") {
    std::promise<void> got_request;
    std::promise<bool> peer_closed;
    scripted_server server([&](server_connection& c) {
        if (!c.read_request()) return;
        got_request.set_value();
        peer_closed.set_value(c.wait_for_close(5s));
    });
    client_fixture f;
    std::promise<http_client_response> result;
    auto req = get(url(server));
    req.timeout = 10s;
    auto cancel = f.client().request(req, [&](http_client_response&& r) { result.set_value(std::move(r)); });
    got_request.get_future().wait();
    auto start = std::chrono::steady_clock::now();
    cancel();
    auto r = result.get_future().get();
    CHECK(r.status == SR_ERR_CANCELLED);
    CHECK(std::chrono::steady_clock::now() - start < 2s);
    CHECK(peer_closed.get_future().get());
    cancel(); // after the end: does nothing
}

TEST_CASE("The callback never runs inside request()") {
    // The io_context is not running while request() executes, so an inline call would show.
    net::io_context ioc;
    http_client client(ioc);
    int calls = 0;
    http_client_response got;
    client.request(get("http://127.0.0.1:" + std::to_string(closed_port()) + "/"),
                   [&](http_client_response&& r) { ++calls; got = std::move(r); });
    CHECK(calls == 0);
    ioc.run();
    CHECK(calls == 1);
    CHECK(got.status == SR_ERR_CONNECT);
}

TEST_CASE("Malformed requests are refused by request() and their callback never runs") {
    net::io_context ioc;
    http_client client(ioc);
    int calls = 0;
    auto cb = [&](http_client_response&&) { ++calls; };
    auto with = [](std::string u, std::string method = "GET", std::vector<sr::host::http_header> h = {}) {
        http_client_request r;
        r.url = std::move(u);
        r.method = std::move(method);
        r.headers = std::move(h);
        return r;
    };
    CHECK_THROWS_AS(client.request(with("not a url"), cb), std::invalid_argument);
    CHECK_THROWS_AS(client.request(with("/relative/path"), cb), std::invalid_argument);
    CHECK_THROWS_AS(client.request(with("ftp://127.0.0.1/x"), cb), std::invalid_argument);
    CHECK_THROWS_AS(client.request(with("http://user:pw@127.0.0.1/"), cb), std::invalid_argument);
    CHECK_THROWS_AS(client.request(with("http://127.0.0.1:0/"), cb), std::invalid_argument);
    CHECK_THROWS_AS(client.request(with("http://127.0.0.1/", "GE T"), cb), std::invalid_argument);
    CHECK_THROWS_AS(client.request(with("http://127.0.0.1/", ""), cb), std::invalid_argument);
    CHECK_THROWS_AS(client.request(with("http://127.0.0.1/", "GET", {{"X-A", "v\r\nX-Injected: 1"}}), cb),
                    std::invalid_argument);
    CHECK_THROWS_AS(client.request(with("http://127.0.0.1/", "GET", {{"Bad Name", "v"}}), cb),
                    std::invalid_argument);
    ioc.run();
    CHECK(calls == 0);
}

TEST_CASE("A missing extra CA file is refused when the client is made") {
    net::io_context ioc;
    sr::host::http_client_config config;
    config.extra_ca_file = "/nonexistent/ca.pem";
    CHECK_THROWS_AS(http_client(ioc, config), std::runtime_error);
}

// ---- https ----------------------------------------------------------------------------

namespace {

struct tls_server {
    tls_files files = make_self_signed_cert(temp_dir("http-tls"));
    scripted_server server{[](server_connection& c) {
                               auto req = c.read_request();
                               if (!req) return;
                               c.write("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(req->target.size()) +
                                       "\r\n\r\n" + req->target);
                           },
                           &files};
};

} // namespace

TEST_CASE("https succeeds when the server's certificate is trusted through the extra CA file") {
    tls_server s;
    sr::host::http_client_config config;
    config.extra_ca_file = s.files.cert.string();
    client_fixture f(config);
    auto r = f.fetch(get(url(s.server, "/secure?x=1", "https")));
    CHECK(r.status == SR_OK);
    CHECK(r.http_status == 200);
    CHECK(r.body == "/secure?x=1");
}

TEST_CASE("https to a server with an untrusted certificate ends in SR_ERR_CONNECT") {
    tls_server s;
    client_fixture f;
    auto r = f.fetch(get(url(s.server, "/", "https")));
    CHECK(r.status == SR_ERR_CONNECT);
    CHECK(r.error_message.find("TLS") != std::string::npos);
}

TEST_CASE("https to a trusted certificate issued for another host name ends in SR_ERR_CONNECT") {
    tls_server s;
    sr::host::http_client_config config;
    config.extra_ca_file = s.files.cert.string();
    client_fixture f(config);
    // The certificate names IP 127.0.0.1 only; "localhost" reaches the same server.
    auto r = f.fetch(get("https://localhost:" + std::to_string(s.server.port()) + "/"));
    CHECK(r.status == SR_ERR_CONNECT);
    CHECK(r.error_message.find("TLS handshake") != std::string::npos); // resolved and connected
}

TEST_CASE("https to a plain-http server ends in SR_ERR_CONNECT") {
    scripted_server server([](server_connection& c) {
        c.read_request();
        c.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    });
    client_fixture f;
    CHECK(f.fetch(get(url(server, "/", "https"))).status == SR_ERR_CONNECT);
}
