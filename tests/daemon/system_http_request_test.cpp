// The bundled system plugin, loaded from its .so, calling a local HTTP server through the
// host's real asynchronous HTTP client: the whole ABI including asynchronous HTTP.
#include <future>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "plugins/plugin_loader.hpp"
#include "services/host_services.hpp"
#include "services/json_log.hpp"
#include "test_paths.hpp"
#include "test_servers.hpp"
#include "io_drain.hpp"

using namespace sr::test;
namespace json = boost::json;
namespace net = boost::asio;

namespace {

class host_under_test {
public:
    host_under_test()
        : log_(SR_LOG_WARN, [this](std::string_view line) {
              std::lock_guard lock(mutex_);
              lines_ += line;
          }),
          guard_(net::make_work_guard(ioc_)), services_(ioc_, log_, nullptr),
          registry_(sr::host::load_plugins(plugin_dir(), services_)) {
        threads_.emplace_back([this] { ioc_.run(); });
    }

    ~host_under_test() {
        // Plugins first, with the I/O threads still running, as a host reloading plugins
        // would: the instance itself waits for the service callbacks still running its code
        // (a plugin completes its call inside its HTTP callback and returns from it only later).
        registry_ = sr::host::plugin_registry();
        drain(ioc_, guard_, threads_);
    }

    sr::core::call_outcome call(const std::string& target, json::object settings, std::string idempotency_key = "k-1") {
        const auto* system = registry_.find("system");
        REQUIRE(system != nullptr);
        sr::core::call_request req;
        req.target = target;
        req.settings_json = json::serialize(settings);
        req.run_id = "run-1";
        req.node_id = "node-1";
        req.idempotency_key = std::move(idempotency_key);
        std::promise<sr::core::call_outcome> done;
        auto future = done.get_future();
        system->instance->invoke(req, [&done](sr::core::call_outcome o) { done.set_value(std::move(o)); });
        REQUIRE(future.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
        return future.get();
    }

    std::string log_text() {
        std::lock_guard lock(mutex_);
        return lines_;
    }

private:
    std::mutex mutex_;
    std::string lines_;
    net::io_context ioc_;
    sr::host::json_log log_;
    net::executor_work_guard<net::io_context::executor_type> guard_;
    sr::host::host_services services_;
    sr::host::plugin_registry registry_;
    std::vector<std::thread> threads_;
};

uint16_t closed_port() {
    net::io_context ioc;
    net::ip::tcp::acceptor a(ioc, {net::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port(); // closed again when `a` goes away
}

} // namespace

TEST_CASE("system.http_request posts through the host client and returns status, headers and JSON body") {
    std::string seen_key, seen_body, seen_method;
    scripted_server server([&](server_connection& c) {
        auto req = c.read_request();
        if (!req) return;
        seen_method = req->method;
        seen_body = req->body;
        if (auto* k = req->header("idempotency-key")) seen_key = *k;
        std::string body = R"({"ok":true,"n":7})";
        c.write("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: " +
                std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    });
    host_under_test host;
    auto o = host.call("http_request", {{"method", "POST"},
                                        {"url", "http://127.0.0.1:" + std::to_string(server.port()) + "/sink"},
                                        {"body", {{"amount", 42}}}},
                       "run-1/node-1");
    INFO(o.error_code << ": " << o.error_message);
    REQUIRE(o.kind == SR_RESULT_SUCCESS);
    auto out = json::parse(o.output_json);
    CHECK(out.at("status") == 201);
    CHECK(out.at("body").at("n") == 7);
    CHECK(seen_method == "POST");
    CHECK(json::parse(seen_body).at("amount") == 42);
    CHECK(seen_key == "run-1/node-1");
}

TEST_CASE("system.http_request reports a server that never answers as a retryable timeout") {
    scripted_server server([](server_connection& c) {
        c.read_request();
        c.wait_for_close(std::chrono::seconds(10));
    });
    host_under_test host;
    auto o = host.call("http_request", {{"method", "GET"},
                                        {"url", "http://127.0.0.1:" + std::to_string(server.port()) + "/slow"},
                                        {"timeout_ms", 300}});
    CHECK(o.kind == SR_RESULT_RETRYABLE_ERROR);
    CHECK(o.error_code == "action_timeout");
}

TEST_CASE("system.http_request reports a refused connection as a retryable connection failure") {
    host_under_test host;
    auto o = host.call("http_request", {{"method", "GET"}, {"url", "http://127.0.0.1:" + std::to_string(closed_port()) + "/"}});
    CHECK(o.kind == SR_RESULT_RETRYABLE_ERROR);
    CHECK(o.error_code == "connection_failed");
}

TEST_CASE("system.http_request maps 429 with Retry-After to a rate-limit wait") {
    scripted_server server([](server_connection& c) {
        if (!c.read_request()) return;
        c.write("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    });
    host_under_test host;
    auto o = host.call("http_request", {{"method", "GET"}, {"url", "http://127.0.0.1:" + std::to_string(server.port()) + "/"}});
    CHECK(o.kind == SR_RESULT_RETRYABLE_ERROR);
    CHECK(o.error_code == "connection_rate_limited");
    CHECK(o.retry_after_ms == 7000);
}
