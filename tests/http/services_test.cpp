// host_services: log lines and the sr.http/1 table, used by a plugin through its sr_host.
#include "services_fixture.hpp"
#include "test_servers.hpp"

#include "services/redact_secrets.hpp"
#include "services/utf8_text.hpp"
#include "sr/core/plugin/call_context.hpp"

using namespace sr::test;
using namespace std::chrono_literals;
namespace json = boost::json;
namespace host = sr::host;

namespace {

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

json::object only_line(services_fixture& f) {
    auto lines = f.lines();
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].back() == '\n');
    CHECK(std::count(lines[0].begin(), lines[0].end(), '\n') == 1);
    return json::parse(lines[0]).as_object();
}

sr::core::call_request call_with_ids() {
    sr::core::call_request r;
    r.run_id = "run-1";
    r.node_id = "node-7";
    r.correlation_id = "corr-9";
    return r;
}

} // namespace

// ---- logs -------------------------------------------------------------------------------

TEST_CASE("A plugin's log line is one JSON object with ts, level, plugin, run, node, correlation and msg") {
    services_fixture f;
    f.call("log", {{"level", SR_LOG_WARN}, {"msg", "disk almost full"}}, call_with_ids());
    auto line = only_line(f);
    CHECK(line.at("level") == "warn");
    CHECK(line.at("plugin") == "service_probe");
    CHECK(line.at("run_id") == "run-1");
    CHECK(line.at("node_id") == "node-7");
    CHECK(line.at("correlation_id") == "corr-9");
    CHECK(line.at("msg") == "disk almost full");
    auto ts = json::value_to<std::string>(line.at("ts"));
    CHECK(ts.size() == 24); // 2024-01-02T03:04:05.678Z
    CHECK(ts.back() == 'Z');
    CHECK_FALSE(line.contains("connection_json"));
}

TEST_CASE("A log line never carries the call's credentials, even when the plugin writes them") {
    services_fixture f;
    auto req = call_with_ids();
    req.connection_json = R"({"username":"admin","password":"hunter2-very-secret","nested":{"token":"tok_abcdef"}})";
    f.call("log", {{"level", SR_LOG_ERROR}, {"msg", "login admin/hunter2-very-secret with tok_abcdef failed"}}, req);
    auto lines = f.lines();
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].find("hunter2-very-secret") == std::string::npos);
    CHECK(lines[0].find("tok_abcdef") == std::string::npos);
    CHECK(lines[0].find("connection") == std::string::npos);
    CHECK(json::parse(lines[0]).at("msg") == "login [redacted]/[redacted] with [redacted] failed");
}

TEST_CASE("Lines below the log's level are dropped") {
    std::vector<std::string> lines;
    host::json_log log(SR_LOG_INFO, [&](std::string_view l) { lines.emplace_back(l); });
    log.write(SR_LOG_DEBUG, {}, "noise");
    log.write(SR_LOG_INFO, {}, "kept");
    REQUIRE(lines.size() == 1);
    CHECK(json::parse(lines[0]).at("msg") == "kept");
}

TEST_CASE("Host lines carry a component and null call fields") {
    std::vector<std::string> lines;
    host::json_log log(SR_LOG_DEBUG, [&](std::string_view l) { lines.emplace_back(l); });
    log.write(SR_LOG_INFO, {.component = "http"}, "listening");
    auto line = json::parse(lines.at(0)).as_object();
    CHECK(line.at("component") == "http");
    CHECK(line.at("plugin").is_null());
    CHECK(line.at("run_id").is_null());
}

TEST_CASE("A message with invalid UTF-8 or control characters still gives a valid JSON line") {
    std::vector<std::string> lines;
    host::json_log log(SR_LOG_DEBUG, [&](std::string_view l) { lines.emplace_back(l); });
    log.write(SR_LOG_INFO, {}, std::string("bad \xC3\x28 byte\nsecond line\x01 \xF0\x9F\x98\x80", 30));
    REQUIRE(lines.size() == 1);
    CHECK(std::count(lines[0].begin(), lines[0].end(), '\n') == 1);
    auto msg = json::value_to<std::string>(json::parse(lines[0]).at("msg"));
    CHECK(host::is_valid_utf8(msg));
    CHECK(msg.find("\xEF\xBF\xBD") != std::string::npos);
    CHECK(msg.find("\xF0\x9F\x98\x80") != std::string::npos); // valid emoji kept
}

TEST_CASE("A very long message is truncated") {
    std::vector<std::string> lines;
    host::json_log log(SR_LOG_DEBUG, [&](std::string_view l) { lines.emplace_back(l); });
    log.write(SR_LOG_INFO, {}, std::string(100000, 'a'));
    CHECK(lines.at(0).size() < host::json_log::max_message_bytes + 1000);
}

TEST_CASE("Lines written from many threads never interleave") {
    std::string all;
    host::json_log log(SR_LOG_DEBUG, [&](std::string_view l) {
        // The sink is called under the log's lock; appending piecewise would expose overlap.
        for (char c : l) all.push_back(c);
    });
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) log.write(SR_LOG_INFO, {}, "thread " + std::to_string(t) + " line " + std::to_string(i));
        });
    for (auto& t : threads) t.join();
    std::size_t count = 0, start = 0;
    for (auto end = all.find('\n'); end != std::string::npos; start = end + 1, end = all.find('\n', start)) {
        json::parse(all.substr(start, end - start));
        ++count;
    }
    CHECK(count == 1600);
}

TEST_CASE("Secrets are redacted wherever they appear in a message, longest first") {
    CHECK(host::redact_secrets("a=abcd b=abcdef", R"({"x":"abcd","y":"abcdef"})") == "a=[redacted] b=[redacted]");
    CHECK(host::redact_secrets("short ab stays", R"({"x":"ab"})") == "short ab stays");
    CHECK(host::redact_secrets("no json", "not json") == "no json");
    CHECK(host::redact_secrets("in array: s3cr3t", R"({"k":["s3cr3t"]})") == "in array: [redacted]");
}

TEST_CASE("UTF-8 validation refuses overlongs, surrogates, truncation and NUL") {
    CHECK(host::is_valid_utf8("plain ascii"));
    CHECK(host::is_valid_utf8("\xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
    CHECK_FALSE(host::is_valid_utf8("\xC0\xAF"));         // overlong '/'
    CHECK_FALSE(host::is_valid_utf8("\xED\xA0\x80"));     // surrogate
    CHECK_FALSE(host::is_valid_utf8("\xE2\x82"));         // truncated
    CHECK_FALSE(host::is_valid_utf8("\xF4\x90\x80\x80")); // above U+10FFFF
    CHECK_FALSE(host::is_valid_utf8(std::string_view("a\0b", 3)));
}

// ---- service lookup ------------------------------------------------------------------------

TEST_CASE("The host offers sr.http/1 always, and sr.kv/1 only with a database") {
    services_fixture f;
    auto out = services_fixture::output(f.call("services", json::object{}));
    CHECK(out.at("http") == true);
    CHECK(out.at("kv") == false);
    CHECK(f.services->find_service("sr.http/2") == nullptr);
    CHECK(f.services->find_service("") == nullptr);
}

TEST_CASE("Only one host_services may exist at a time") {
    services_fixture f;
    boost::asio::io_context ioc;
    host::json_log log;
    CHECK_THROWS_AS(host::host_services(ioc, log, nullptr), std::logic_error);
}

// ---- sr.http/1 through a plugin ------------------------------------------------------------

TEST_CASE("A plugin's sr.http/1 request gets status, headers and body in its callback") {
    std::promise<received_request> seen;
    scripted_server server([&](server_connection& c) {
        auto req = c.read_request();
        if (!req) return;
        seen.set_value(*req);
        c.write("HTTP/1.1 200 OK\r\nConnection: close\r\nX-WP-Total: 3\r\n\r\n[1,2,3]");
        c.close();
    });
    services_fixture f;
    auto url = "http://127.0.0.1:" + std::to_string(server.port()) + "/wp-json/wp/v2/posts";
    auto out = services_fixture::output(f.call("fetch", {{"url", url}, {"method", "POST"}, {"body", "{}"}}));
    CHECK(out.at("status") == SR_OK);
    CHECK(out.at("http_status") == 200);
    CHECK(out.at("body") == "[1,2,3]");
    CHECK(out.at("headers").at("x-wp-total") == "3");
    CHECK(out.at("error") == "");
    auto sent = seen.get_future().get();
    CHECK(sent.method == "POST");
    CHECK(sent.body == "{}");
}

TEST_CASE("A plugin's request to a closed port reports SR_ERR_CONNECT") {
    boost::asio::io_context tmp;
    boost::asio::ip::tcp::acceptor a(tmp, {boost::asio::ip::make_address("127.0.0.1"), 0});
    auto port = a.local_endpoint().port();
    a.close();
    services_fixture f;
    auto out = services_fixture::output(f.call("fetch", {{"url", "http://127.0.0.1:" + std::to_string(port) + "/"}}));
    CHECK(out.at("status") == SR_ERR_CONNECT);
    CHECK(out.at("http_status") == 0);
    CHECK(out.at("error") != "");
}

TEST_CASE("The call's deadline cuts a request shorter than its own timeout") {
    scripted_server server([](server_connection& c) {
        c.read_request();
        c.wait_for_close(10s);
    });
    services_fixture f;
    auto req = call_with_ids();
    req.deadline_unix_ms = now_ms() + 300;
    auto start = std::chrono::steady_clock::now();
    auto url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
    auto out = services_fixture::output(f.call("fetch", {{"url", url}, {"timeout_ms", 10000}}, req));
    auto took = std::chrono::steady_clock::now() - start;
    CHECK(out.at("status") == SR_ERR_TIMEOUT);
    CHECK(took >= 200ms);
    CHECK(took < 3s);
}

TEST_CASE("The request's own timeout wins when it is shorter than the call's deadline") {
    scripted_server server([](server_connection& c) {
        c.read_request();
        c.wait_for_close(10s);
    });
    services_fixture f;
    auto req = call_with_ids();
    req.deadline_unix_ms = now_ms() + 10000;
    auto start = std::chrono::steady_clock::now();
    auto url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
    auto out = services_fixture::output(f.call("fetch", {{"url", url}, {"timeout_ms", 300}}, req));
    CHECK(out.at("status") == SR_ERR_TIMEOUT);
    CHECK(std::chrono::steady_clock::now() - start < 3s);
}

TEST_CASE("A call whose deadline has already passed gets SR_ERR_TIMEOUT without connecting") {
    scripted_server server([](server_connection& c) { c.read_request(); });
    services_fixture f;
    auto req = call_with_ids();
    req.deadline_unix_ms = now_ms() - 1000;
    auto url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
    auto out = services_fixture::output(f.call("fetch", {{"url", url}}, req));
    CHECK(out.at("status") == SR_ERR_TIMEOUT);
    std::this_thread::sleep_for(100ms);
    CHECK(server.accepted() == 0);
}

TEST_CASE("Cancelling a call aborts its HTTP request with SR_ERR_CANCELLED and closes the socket") {
    std::promise<void> got_request;
    std::promise<bool> peer_closed;
    scripted_server server([&](server_connection& c) {
        if (!c.read_request()) return;
        got_request.set_value();
        peer_closed.set_value(c.wait_for_close(5s));
    });
    services_fixture f;
    sr::core::call_request req = call_with_ids();
    req.target = "fetch";
    req.input_json = json::serialize(json::object{{"url", "http://127.0.0.1:" + std::to_string(server.port()) + "/"},
                                                  {"timeout_ms", 10000}});
    std::promise<sr::core::call_outcome> outcome;
    auto cancel = f.plugin->invoke(req, [&](sr::core::call_outcome o) { outcome.set_value(std::move(o)); });
    got_request.get_future().wait();
    cancel->cancel();
    auto o = outcome.get_future();
    REQUIRE(o.wait_for(3s) == std::future_status::ready);
    auto out = services_fixture::output(o.get());
    CHECK(out.at("status") == SR_ERR_CANCELLED);
    CHECK(peer_closed.get_future().get());
}

TEST_CASE("A malformed request is refused at once and its callback never runs") {
    services_fixture f;
    // The probe returns request()'s status from execute(): the call then fails with it.
    auto o = f.call("fetch", {{"url", "ftp://127.0.0.1/file"}});
    CHECK(o.kind == SR_RESULT_FATAL_ERROR);
    bool warned = false;
    for (auto& l : f.lines()) warned = warned || l.find("sr.http/1 request refused") != std::string::npos;
    CHECK(warned);
}

namespace {
struct http_probe {
    std::atomic<int> calls{0};
    std::thread::id thread;
    sr_status status = -1;
    std::promise<void> done;
};
void record_http(void* ud, const sr_http_response* r) {
    auto* p = static_cast<http_probe*>(ud);
    p->thread = std::this_thread::get_id();
    p->status = r->status;
    if (++p->calls == 1) p->done.set_value();
}
} // namespace

TEST_CASE("sr.http/1 argument errors are returned synchronously") {
    services_fixture f;
    host::service_call call{"probe", "", "", "", "", nullptr, 0};
    http_probe p;
    std::string url = "http://127.0.0.1:1/";
    sr_http_request req{};
    req.struct_size = sizeof req;
    req.method = {"GET", 3};
    req.url = {url.data(), url.size()};
    CHECK(f.services->http_request(call, nullptr, record_http, &p) == SR_ERR_INVALID_ARGUMENT);
    CHECK(f.services->http_request(call, &req, nullptr, &p) == SR_ERR_INVALID_ARGUMENT);
    auto small = req;
    small.struct_size = 8; // too small to hold a URL
    CHECK(f.services->http_request(call, &small, record_http, &p) == SR_ERR_INVALID_ARGUMENT);
    auto null_data = req;
    null_data.body = {nullptr, 5};
    CHECK(f.services->http_request(call, &null_data, record_http, &p) == SR_ERR_INVALID_ARGUMENT);
    auto no_headers = req;
    no_headers.header_count = 2;
    CHECK(f.services->http_request(call, &no_headers, record_http, &p) == SR_ERR_INVALID_ARGUMENT);
    sr_http_header bad{{"X-A", 3}, {"a\r\nb", 4}};
    auto injected = req;
    injected.headers = &bad;
    injected.header_count = 1;
    CHECK(f.services->http_request(call, &injected, record_http, &p) == SR_ERR_INVALID_ARGUMENT);
    std::this_thread::sleep_for(100ms);
    CHECK(p.calls == 0);
}

TEST_CASE("The sr.http/1 callback runs once on an io_context thread, never inside request()") {
    services_fixture f;
    host::service_call call{"probe", "", "", "", "", nullptr, 0};
    http_probe p;
    std::string url = "http://127.0.0.1:1/"; // nothing listens on port 1
    sr_http_request req{};
    req.struct_size = sizeof req;
    req.method = {"GET", 3};
    req.url = {url.data(), url.size()};
    REQUIRE(f.services->http_request(call, &req, record_http, &p) == SR_OK);
    p.done.get_future().wait();
    std::this_thread::sleep_for(50ms);
    CHECK(p.calls == 1);
    CHECK(p.thread != std::this_thread::get_id());
    CHECK(f.is_io_thread(p.thread));
    CHECK(p.status == SR_ERR_CONNECT);
}
