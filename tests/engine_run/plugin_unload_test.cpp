// Unloading a plugin while host work for it is still under way: the instance waits for its
// calls and for the service callbacks into its code, cancels what outlived its call, and only
// then calls deinit and unloads the library.
#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "plugin_host.hpp"
#include "sr/core/plugin/call_request.hpp"
#include "engine_graph.hpp"
#include "test_servers.hpp"

using namespace sr::test;
namespace json = boost::json;

namespace {

using clock_type = std::chrono::steady_clock;

// Invokes `target` with `settings`; the future gets the outcome. The promise lives in the
// callback, so a late completion never touches the test's stack.
std::future<sr::core::call_outcome> invoke(sr::core::plugin_instance& plugin, const std::string& target,
                                           json::object settings) {
    sr::core::call_request req;
    req.target = target;
    req.settings_json = json::serialize(settings);
    req.run_id = "run-unload";
    req.node_id = "node-1";
    auto done = std::make_shared<std::promise<sr::core::call_outcome>>();
    auto future = done->get_future();
    plugin.invoke(req, [done](sr::core::call_outcome o) { done->set_value(std::move(o)); });
    return future;
}

} // namespace

TEST_CASE("a plugin is not unloaded while the HTTP callback that completed its call is still running") {
    scripted_server server([](server_connection& c) {
        if (!c.read_request()) return;
        c.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    });
    plugin_host host(plugin_host::with_fixture());
    auto future = invoke(*host.instance("enginefx"), "http_linger", {{"url", url_of(server)}});
    REQUIRE(future.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    auto outcome = future.get();
    INFO(outcome.error_code << ": " << outcome.error_message);
    REQUIRE(outcome.kind == SR_RESULT_SUCCESS);

    // The call is over, but the plugin's callback keeps running its own code for 300 ms.
    const auto started = clock_type::now();
    host.unload();
    const auto took = clock_type::now() - started;

    const int returned = host.line_index("callback returned");
    const int deinit = host.line_index("deinit");
    REQUIRE(returned >= 0);
    REQUIRE(deinit >= 0);
    CHECK(returned < deinit);
    CHECK(took >= std::chrono::milliseconds(150));
}

TEST_CASE("unloading a plugin cancels its HTTP call to a slow server, and the late answer reaches no plugin code") {
    std::promise<void> seen;
    auto seen_future = seen.get_future();
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    scripted_server server([&seen, released](server_connection& c) {
        if (!c.read_request()) return;
        seen.set_value();
        released.wait_for(std::chrono::seconds(10));
        c.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
    });
    plugin_host host(plugin_dir());
    auto future = invoke(*host.instance("system"), "http_request",
                         {{"method", "GET"}, {"url", url_of(server)}, {"timeout_ms", 60000}});
    REQUIRE(seen_future.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    REQUIRE(host.instance("system")->calls_in_flight() == 1);
    REQUIRE(host.instance("system")->callbacks_in_flight() == 1);

    const auto started = clock_type::now();
    host.unload();
    CHECK(clock_type::now() - started < std::chrono::seconds(5)); // cancelled, not timed out

    REQUIRE(future.wait_for(std::chrono::seconds(1)) == std::future_status::ready);
    auto outcome = future.get();
    CHECK(outcome.kind != SR_RESULT_SUCCESS);
    CHECK(outcome.error_code == "cancelled");

    // The server answers only now; nothing is left to receive it.
    release.set_value();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK(host.line_index("deinit skipped") < 0); // the drain did not time out
}

TEST_CASE("an instance counts a service callback in flight until the plugin's callback has returned") {
    scripted_server server([](server_connection& c) {
        if (!c.read_request()) return;
        c.write("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
    });
    plugin_host host(plugin_host::with_fixture());
    auto plugin = host.instance("enginefx");
    auto future = invoke(*plugin, "http_linger", {{"url", url_of(server)}});
    REQUIRE(future.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    // Completed (the call itself is gone right after its handler returns), yet its callback
    // lingers for 300 ms.
    auto deadline = clock_type::now() + std::chrono::milliseconds(150);
    while (plugin->calls_in_flight() > 0 && clock_type::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    CHECK(plugin->calls_in_flight() == 0);
    CHECK(plugin->callbacks_in_flight() == 1);
    deadline = clock_type::now() + std::chrono::seconds(5);
    while (plugin->callbacks_in_flight() > 0 && clock_type::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(plugin->callbacks_in_flight() == 0);
    CHECK(host.line_index("callback returned") >= 0);
}
