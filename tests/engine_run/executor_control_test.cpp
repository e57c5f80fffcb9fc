// The executor's controls end to end, with real plugins over the SDK ABI: per-node and
// per-run deadlines, cancel and pause/resume through the run handle, rollback running a
// manifest's compensating action, and dry-run of a delay.
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "plugin_host.hpp"
#include "runtime/loaded_plugins.hpp"
#include "sr/core/engine/run_executor.hpp"
#include "sr/core/mapping/template_renderer.hpp"
#include "sr/core/model/scenario.hpp"
#include "engine_graph.hpp"
#include "test_servers.hpp"

using namespace sr::test;
using namespace sr::core::engine;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

using clock_type = std::chrono::steady_clock;

// Remembers when each node started, by node id.
class start_log final : public run_observer {
public:
    void node_started(const run_machine& machine, node_key key, uint32_t) override {
        std::lock_guard lock(mutex_);
        started_.push_back({machine.plan().nodes()[key.node].definition->id, clock_type::now()});
    }
    bool started(const std::string& id) const { return started_at(id).has_value(); }
    std::optional<clock_type::time_point> started_at(const std::string& id) const {
        std::lock_guard lock(mutex_);
        for (const auto& [node, at] : started_)
            if (node == id) return at;
        return std::nullopt;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::pair<std::string, clock_type::time_point>> started_;
};

class engine_under_test {
public:
    engine_under_test() : host_(plugin_host::with_fixture()), plugins_(host_.registry()),
                          executor_(host_.ioc().get_executor(), plugins_) {}

    struct started_run {
        std::shared_ptr<run_handle> handle;
        std::future<run_report> report;
    };

    started_run start(const json::value& scenario, bool dry_run = false, std::shared_ptr<run_observer> observer = {}) {
        auto parsed = sr::core::parse_scenario(scenario);
        REQUIRE(parsed.problems.empty());
        auto compiled = compile_plan(std::move(*parsed.definition), plugins_.catalog());
        INFO((compiled.problems.empty() ? std::string() : compiled.problems.front().message));
        REQUIRE(compiled.plan);
        run_request req;
        req.plan = compiled.plan;
        req.renderer = std::make_shared<sr::core::mapping::template_renderer>(compiled.plan);
        req.trigger_output = json::object{{"body", json::object{}}};
        req.run_id = "run-" + std::to_string(++runs_);
        req.correlation_id = "corr";
        req.dry_run = dry_run;
        auto done = std::make_shared<std::promise<run_report>>();
        started_run run;
        run.report = done->get_future();
        run.handle = executor_.start(std::move(req), [done](run_report r) { done->set_value(std::move(r)); },
                                     std::move(observer));
        return run;
    }

    run_report run(const json::value& scenario, bool dry_run = false) {
        auto r = start(scenario, dry_run);
        REQUIRE(r.report.wait_for(30s) == std::future_status::ready);
        return r.report.get();
    }

    plugin_host& host() { return host_; }

private:
    plugin_host host_;
    sr::host::loaded_plugins plugins_;
    run_executor executor_;
    int runs_ = 0;
};

json::value chain(json::array nodes, json::object settings = {}) {
    json::array edges;
    for (std::size_t i = 1; i < nodes.size(); ++i)
        edges.push_back(edge(std::string(nodes[i - 1].at("id").as_string()), std::string(nodes[i].at("id").as_string())));
    json::object s{{"nodes", std::move(nodes)}, {"edges", std::move(edges)}};
    if (!settings.empty()) s["settings"] = std::move(settings);
    return s;
}

bool on_path(const run_report& r, const std::string& id) {
    for (const auto& p : r.path)
        if (p == id) return true;
    return false;
}

json::object http_get(const scripted_server& server) {
    return {{"method", "GET"}, {"url", url_of(server)}, {"timeout_ms", 60000}};
}

// A server that reads the request and never answers; it remembers whether the client hung up.
struct silent_server {
    std::atomic<int> requests{0};
    std::atomic<int> hung_up{0};
    scripted_server server{[this](server_connection& c) {
        if (!c.read_request()) return;
        ++requests;
        if (c.wait_for_close(20s)) ++hung_up;
    }};
};

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = 5s) {
    const auto deadline = clock_type::now() + limit;
    while (!pred()) {
        if (clock_type::now() > deadline) return false;
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

} // namespace

TEST_CASE("a node slower than its timeout fails with action_timeout once its retry policy is spent") {
    silent_server slow;
    engine_under_test engine;
    json::object data{{"timeout_ms", 200},
                      {"retry", {{"max_attempts", 2}, {"base_delay_ms", 10}, {"jitter", false}}}};
    auto r = engine.run(chain({node("trigger", "system.webhook"), node("call", "system.http_request", http_get(slow.server), data)}));
    INFO(json::serialize(to_json(r)));
    CHECK(r.status == run_status::failed);
    const auto& call = report_of(r, "call");
    CHECK(call.status == node_status::failed);
    CHECK(call.attempts == 2);
    CHECK(call.error.at("code") == "action_timeout");
    CHECK(eventually([&] { return slow.requests == 2; }));
    // Each timed-out attempt's call was cancelled: the client hung up both times.
    CHECK(eventually([&] { return slow.hung_up == 2; }));
}

TEST_CASE("a run slower than the scenario timeout fails with scenario_timeout") {
    silent_server slow;
    engine_under_test engine;
    const auto started = clock_type::now();
    auto r = engine.run(chain({node("trigger", "system.webhook"), node("call", "system.http_request", http_get(slow.server)),
                               node("after", "system.transform", {{"output", {{"x", 1}}}})},
                              {{"timeout_ms", 300}}));
    INFO(json::serialize(to_json(r)));
    CHECK(clock_type::now() - started < 10s);
    CHECK(r.status == run_status::failed);
    REQUIRE(r.error.is_object());
    CHECK(r.error.at("code") == "scenario_timeout");
    CHECK_FALSE(on_path(r, "after"));
    CHECK(eventually([&] { return slow.hung_up == 1; }));
}

TEST_CASE("cancelling a run during a running node cancels the call and runs nothing downstream") {
    silent_server slow;
    engine_under_test engine;
    auto run = engine.start(chain({node("trigger", "system.webhook"), node("call", "system.http_request", http_get(slow.server)),
                                   node("after", "system.transform", {{"output", {{"x", 1}}}})}));
    REQUIRE(eventually([&] { return slow.requests == 1; }));
    run.handle->cancel("stopped by the test");
    REQUIRE(run.report.wait_for(10s) == std::future_status::ready);
    auto r = run.report.get();
    INFO(json::serialize(to_json(r)));
    CHECK(r.status == run_status::cancelled);
    // The machine records the interrupted node with the call's own end: "cancelled".
    const auto& call = report_of(r, "call");
    CHECK((call.status == node_status::cancelled || call.status == node_status::failed));
    CHECK(call.error.at("code") == "cancelled");
    CHECK(report_of(r, "after").status != node_status::succeeded);
    CHECK_FALSE(on_path(r, "after"));
    CHECK(eventually([&] { return slow.hung_up == 1; })); // the HTTP exchange itself was ended
}

TEST_CASE("a run paused during a node starts nothing more until it is resumed") {
    std::promise<void> seen;
    auto seen_future = seen.get_future();
    scripted_server answers_late([&seen](server_connection& c) {
        if (!c.read_request()) return;
        seen.set_value();
        std::this_thread::sleep_for(200ms);
        c.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
    });
    engine_under_test engine;
    auto starts = std::make_shared<start_log>();
    auto run = engine.start(chain({node("trigger", "system.webhook"), node("first", "system.http_request", http_get(answers_late)),
                                   node("second", "system.transform", {{"output", {{"x", 1}}}})}),
                            false, starts);
    REQUIRE(seen_future.wait_for(10s) == std::future_status::ready);
    run.handle->pause();
    // "first" finishes while paused; the boundary holds "second" back.
    std::this_thread::sleep_for(800ms);
    CHECK_FALSE(starts->started("second"));
    CHECK(run.report.wait_for(0s) == std::future_status::timeout);

    const auto resumed = clock_type::now();
    run.handle->resume();
    REQUIRE(run.report.wait_for(10s) == std::future_status::ready);
    auto r = run.report.get();
    INFO(json::serialize(to_json(r)));
    CHECK(r.status == run_status::succeeded);
    CHECK(report_of(r, "first").status == node_status::succeeded);
    CHECK(report_of(r, "second").status == node_status::succeeded);
    REQUIRE(starts->started_at("second"));
    CHECK(*starts->started_at("second") >= resumed);
}

TEST_CASE("rollback runs the compensating action a side-effect node's manifest declares, newest first") {
    engine_under_test engine;
    json::object rollback{{"on_error", {{"directive", "rollback"}}}};
    auto r = engine.run(chain({node("trigger", "system.webhook"), node("first", "enginefx.create", {{"id", "first-post"}}),
                               node("second", "enginefx.create", {{"id", "second-post"}}),
                               node("boom", "system.fail", {{"message", "stop here"}}, rollback)}));
    INFO(json::serialize(to_json(r)));
    CHECK(r.status == run_status::failed);
    REQUIRE(r.error.is_object());
    CHECK(r.error.at("rolled_back") == true);
    CHECK_FALSE(r.error.get_object().contains("compensation_failures"));
    const int second = engine.host().line_index(R"(deleted {\"id\":\"second-post\"})");
    const int first = engine.host().line_index(R"(deleted {\"id\":\"first-post\"})");
    INFO("log:\n" << [&] { std::string all; for (auto& l : engine.host().lines()) all += l; return all; }());
    REQUIRE(second >= 0);
    REQUIRE(first >= 0);
    CHECK(second < first);
}

TEST_CASE("a dry-run of system.delay returns its resume time at once instead of waiting") {
    engine_under_test engine;
    const auto before = unix_now_ms();
    auto run = engine.start(chain({node("trigger", "system.webhook"), node("wait", "system.delay", {{"seconds", 3600}}),
                                   node("after", "system.transform", {{"output", {{"x", 1}}}})}),
                            true);
    REQUIRE(run.report.wait_for(5s) == std::future_status::ready);
    auto r = run.report.get();
    INFO(json::serialize(to_json(r)));
    const auto& wait = report_of(r, "wait");
    REQUIRE(wait.output.is_object());
    const auto resume_at = wait.output.at("resume_at").to_number<int64_t>();
    CHECK(resume_at >= before + 3'600'000);
    CHECK(resume_at <= unix_now_ms() + 3'600'000);
    CHECK(on_path(r, "after"));
    CHECK(r.status == run_status::succeeded);
}
