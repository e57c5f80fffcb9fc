// Scenarios run end to end by the Asio executor, calling the bundled system and router
// plugins through the SDK ABI, with HTTP going through the host's client to local servers.
#include <atomic>
#include <future>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "plugins/plugin_loader.hpp"
#include "runtime/loaded_plugins.hpp"
#include "services/host_services.hpp"
#include "services/json_log.hpp"
#include "sr/core/engine/run_executor.hpp"
#include "sr/core/mapping/template_renderer.hpp"
#include "sr/core/model/scenario.hpp"
#include "test_paths.hpp"
#include "engine_graph.hpp"
#include "test_servers.hpp"
#include "io_drain.hpp"

using namespace sr::test;
using namespace sr::core::engine;
namespace json = boost::json;
namespace net = boost::asio;

namespace {

class engine_host {
public:
    engine_host()
        : log_(SR_LOG_WARN), guard_(net::make_work_guard(ioc_)), services_(ioc_, log_, nullptr),
          registry_(sr::host::load_plugins(plugin_dir(), services_)), plugins_(registry_),
          executor_(ioc_.get_executor(), plugins_, &breakers_) {
        for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
    }
    ~engine_host() {
        // Threads first: a plugin's HTTP callback may still be running plugin code on an I/O
        // thread just after it completed its call; unloading the plugin then would pull the
        // code from under it.
        drain(ioc_, guard_, threads_);
        registry_ = sr::host::plugin_registry();
    }

    run_report run(const json::value& scenario, json::value trigger, bool dry_run = false) {
        auto parsed = sr::core::parse_scenario(scenario);
        REQUIRE(parsed.problems.empty());
        auto compiled = compile_plan(std::move(*parsed.definition), plugins_.catalog());
        INFO((compiled.problems.empty() ? std::string() : compiled.problems.front().message));
        REQUIRE(compiled.plan);
        run_request req;
        req.plan = compiled.plan;
        req.renderer = std::make_shared<sr::core::mapping::template_renderer>(compiled.plan);
        req.trigger_output = std::move(trigger);
        req.run_id = "run-" + std::to_string(++runs_);
        req.correlation_id = "corr";
        req.dry_run = dry_run;
        std::promise<run_report> done;
        auto future = done.get_future();
        executor_.start(std::move(req), [&done](run_report r) { done.set_value(std::move(r)); });
        REQUIRE(future.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
        return future.get();
    }

private:
    net::io_context ioc_;
    sr::host::json_log log_;
    net::executor_work_guard<net::io_context::executor_type> guard_;
    sr::host::host_services services_;
    sr::host::plugin_registry registry_;
    sr::host::loaded_plugins plugins_;
    breaker_registry breakers_;
    run_executor executor_;
    std::vector<std::thread> threads_;
    int runs_ = 0;
};

// B1: webhook -> transform (total = amount * 1.2) -> if total > 100 -> respond high / low.
json::value b1_scenario() {
    json::object respond_body{{"id", "{{transform.output.id}}"}, {"total", "{{transform.output.total}}"}};
    auto high = respond_body;
    high["branch"] = "high";
    auto low = respond_body;
    low["branch"] = "low";
    return json::object{
        {"nodes", json::array{node("trigger", "system.webhook"),
                              node("transform", "system.transform",
                                   {{"output", {{"id", "{{trigger.body.id}}"}, {"total", "{{trigger.body.amount * 1.2}}"}}}}),
                              node("if", "router.if", {{"condition", "{{transform.output.total > 100}}"}}),
                              node("high", "system.respond", {{"body", high}}),
                              node("low", "system.respond", {{"body", low}})}},
        {"edges", json::array{edge("trigger", "transform"), edge("transform", "if"), edge("if", "high", "true"),
                              edge("if", "low", "false")}}};
}

} // namespace

TEST_CASE("the B1 scenario maps, routes and responds through the real plugins") {
    engine_host host;
    auto r = host.run(b1_scenario(), json::object{{"body", {{"id", 7}, {"amount", 100}}}});
    INFO(json::serialize(to_json(r)));
    REQUIRE(r.status == run_status::succeeded);
    const auto& high = report_of(r, "high");
    CHECK(high.status == node_status::succeeded);
    CHECK(high.output.at("body").at("branch") == "high");
    CHECK(high.output.at("body").at("total").to_number<double>() == Approx(120.0));
    CHECK(report_of(r, "low").status == node_status::skipped);

    auto low = host.run(b1_scenario(), json::object{{"body", {{"id", 8}, {"amount", 50}}}});
    CHECK(report_of(low, "low").status == node_status::succeeded);
    CHECK(report_of(low, "high").status == node_status::skipped);
}

TEST_CASE("a 25-node scenario runs end to end, each node reading the one before") {
    json::array nodes{node("trigger", "system.webhook"), node("n1", "system.transform", {{"output", {{"n", "{{trigger.body.start}}"}}}})};
    json::array edges{edge("trigger", "n1")};
    for (int i = 2; i <= 24; ++i) {
        std::string prev = "n" + std::to_string(i - 1);
        nodes.push_back(node("n" + std::to_string(i), "system.transform", {{"output", {{"n", "{{" + prev + ".output.n + 1}}"}}}}));
        edges.push_back(edge(prev, "n" + std::to_string(i)));
    }
    engine_host host;
    auto r = host.run(json::object{{"nodes", nodes}, {"edges", edges}}, json::object{{"body", {{"start", 100}}}});
    REQUIRE(r.status == run_status::succeeded);
    CHECK(r.path.size() == 25);
    CHECK(report_of(r, "n24").output.at("n") == 123);
}

TEST_CASE("a dry-run answers side-effect actions with their sample output and makes no HTTP call") {
    std::atomic<int> requests{0};
    scripted_server server([&](server_connection& c) {
        if (!c.read_request()) return;
        ++requests;
        c.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
    });
    json::value scenario = json::object{
        {"nodes", json::array{node("trigger", "system.webhook"),
                              node("call", "system.http_request",
                                   {{"method", "POST"}, {"url", "http://127.0.0.1:" + std::to_string(server.port()) + "/x"}}),
                              node("after", "system.transform", {{"output", {{"status", "{{call.output.status}}"}}}})}},
        {"edges", json::array{edge("trigger", "call"), edge("call", "after")}}};
    engine_host host;
    auto dry = host.run(scenario, json::object{{"body", json::object()}}, true);
    REQUIRE(dry.status == run_status::succeeded);
    CHECK(requests == 0);
    CHECK(report_of(dry, "call").preview);
    CHECK_FALSE(report_of(dry, "after").preview); // side-effect-free actions really run
    CHECK(report_of(dry, "after").status == node_status::succeeded);

    auto real = host.run(scenario, json::object{{"body", json::object()}});
    REQUIRE(real.status == run_status::succeeded);
    CHECK(requests == 1);
    CHECK(report_of(real, "after").output.at("status") == 200);
}

TEST_CASE("iterate and aggregate run a branch per item through the router plugin") {
    json::value scenario = json::object{
        {"nodes", json::array{node("trigger", "system.webhook"),
                              node("each", "router.iterate", {{"items", "{{trigger.body.items}}"}, {"concurrency", 2}}),
                              node("double", "system.transform", {{"output", "{{each.output.item * 2}}"}}),
                              node("collect", "router.aggregate")}},
        {"edges", json::array{edge("trigger", "each"), edge("each", "double"), edge("double", "collect")}}};
    engine_host host;
    auto r = host.run(scenario, json::object{{"body", {{"items", {1, 2, 3}}}}});
    INFO(json::serialize(to_json(r)));
    REQUIRE(r.status == run_status::succeeded);
    CHECK(report_of(r, "collect").output.at("items") == json::array{2, 4, 6});
}

TEST_CASE("a failing node with no error route fails the run with its error code") {
    json::value scenario = json::object{
        {"nodes", json::array{node("trigger", "system.webhook"),
                              node("boom", "system.fail", {{"code", "action_validation_failed"}, {"message", "bad input"}}),
                              node("after", "system.transform", {{"output", 1}})}},
        {"edges", json::array{edge("trigger", "boom"), edge("boom", "after")}}};
    engine_host host;
    auto r = host.run(scenario, json::object());
    CHECK(r.status == run_status::failed);
    CHECK(r.error.at("code") == "action_validation_failed");
    CHECK(report_of(r, "after").status == node_status::skipped);
}

TEST_CASE("a delay suspends on a timer and the run resumes after it") {
    json::value scenario = json::object{
        {"nodes", json::array{node("trigger", "system.webhook"), node("wait", "system.delay", {{"seconds", 1}}),
                              node("after", "system.transform", {{"output", "done"}})}},
        {"edges", json::array{edge("trigger", "wait"), edge("wait", "after")}}};
    engine_host host;
    auto started = std::chrono::steady_clock::now();
    auto r = host.run(scenario, json::object());
    auto took = std::chrono::steady_clock::now() - started;
    REQUIRE(r.status == run_status::succeeded);
    CHECK(took >= std::chrono::milliseconds(900));
    CHECK(report_of(r, "after").output == "done");
}
