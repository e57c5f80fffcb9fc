// The run state machine, stepped without sockets or clocks.
#include <algorithm>

#include <catch2/catch.hpp>

#include "engine_test_support.hpp"
#include "sr/core/engine/retry_policy.hpp"

using namespace sr::test;

namespace {
std::size_t position(const std::vector<std::string>& v, const std::string& id) {
    return static_cast<std::size_t>(std::find(v.begin(), v.end(), id) - v.begin());
}
json::object retry(int attempts, int base_ms, bool jitter = false) {
    return {{"max_attempts", attempts}, {"base_delay_ms", base_ms}, {"multiplier", 2}, {"max_delay_ms", 100000},
            {"jitter", jitter}};
}
} // namespace

TEST_CASE("a chain runs each node once, in order, and the run succeeds") {
    auto plan = graph().node("a", "noop").node("b", "noop").node("c", "noop")
                    .edge("trigger", "a").edge("a", "b").edge("b", "c").compile();
    driver d(plan);
    CHECK(d.run() == run_status::succeeded);
    CHECK(d.invoked == std::vector<std::string>{"a", "b", "c"});
    CHECK(d.record("c").status == node_status::succeeded);
    CHECK(d.machine().path().size() == 4);
}

TEST_CASE("independent branches are invoked before either completes") {
    auto plan = graph().node("a", "noop").node("b", "noop").edge("trigger", "a").edge("trigger", "b").compile();
    driver d(plan);
    d.auto_answer = false;
    d.run();
    CHECK(d.pending.size() == 2);
    d.step_pending();
    CHECK(d.finished);
    CHECK(d.machine().status() == run_status::succeeded);
}

TEST_CASE("a join waits for every incoming branch") {
    auto plan = graph().node("a", "noop").node("b", "noop").node("j", "noop")
                    .edge("trigger", "a").edge("trigger", "b").edge("a", "j").edge("b", "j").compile();
    driver d(plan);
    d.auto_answer = false;
    d.run();
    d.answer(d.pending.front(), node_result::success(1));
    CHECK(d.record("j").status == node_status::pending);
    d.step_pending();
    CHECK(d.invoked.back() == "j");
}

TEST_CASE("a router follows only the handle it chose and skips the other branch") {
    auto plan = graph().node("if", "route").node("yes", "noop").node("no", "noop").node("after_no", "noop")
                    .node("join", "noop")
                    .edge("trigger", "if").edge("if", "yes", "true").edge("if", "no", "false")
                    .edge("no", "after_no").edge("yes", "join").edge("after_no", "join").compile();
    driver d(plan);
    d.script["if"] = [](auto&, auto, auto&) { return node_result::success(json::object{{"result", true}}, {"true"}); };
    CHECK(d.run() == run_status::succeeded);
    CHECK(d.record("yes").status == node_status::succeeded);
    CHECK(d.record("no").status == node_status::skipped);
    CHECK(d.record("after_no").status == node_status::skipped);
    CHECK(d.record("join").status == node_status::succeeded); // one taken branch is enough
    CHECK(position(d.invoked, "no") == d.invoked.size());
}

TEST_CASE("a node whose every input branch was not taken is skipped") {
    auto plan = graph().node("if", "route").node("no", "noop").node("after", "noop")
                    .edge("trigger", "if").edge("if", "no", "false").edge("no", "after").compile();
    driver d(plan);
    d.script["if"] = [](auto&, auto, auto&) { return node_result::success(true, {"true"}); };
    CHECK(d.run() == run_status::succeeded);
    CHECK(d.record("after").status == node_status::skipped);
    CHECK(d.invoked == std::vector<std::string>{"if"});
}

TEST_CASE("retryable errors are retried on the backoff schedule, then succeed") {
    auto plan = graph().node("a", "noop", {{"retry", retry(4, 100)}}).edge("trigger", "a").compile();
    driver d(plan);
    d.script["a"] = [](auto&, uint32_t attempt, auto&) {
        return attempt < 3 ? node_result::retryable("action_timeout", "slow") : node_result::success(attempt);
    };
    CHECK(d.run() == run_status::succeeded);
    CHECK(d.invoked == std::vector<std::string>{"a", "a", "a"});
    REQUIRE(d.waits.size() == 2);
    CHECK(d.waits[0].second == 100);
    CHECK(d.waits[1].second == 200);
    CHECK(d.record("a").attempt == 3);
}

TEST_CASE("full jitter keeps every retry delay between zero and the exponential ceiling") {
    sr::core::retry_settings p;
    p.base_delay_ms = 1000;
    p.multiplier = 2;
    p.max_delay_ms = 5000;
    p.jitter = true;
    for (uint32_t attempt = 2; attempt < 8; ++attempt) {
        int64_t ceiling = std::min<int64_t>(5000, 1000LL << (attempt - 2));
        for (double u : {0.0, 0.25, 0.5, 0.999}) {
            int64_t d = retry_delay_ms(p, attempt, u, -1);
            CHECK(d >= 0);
            CHECK(d <= ceiling);
        }
        CHECK(retry_delay_ms(p, attempt, 0.0, -1) == 0);
    }
    CHECK(retry_delay_ms(p, 2, 0.1, 7000) == 7000); // retry-after wins over a shorter backoff
}

TEST_CASE("a retry-after from the service sets the wait") {
    auto plan = graph().node("a", "noop", {{"retry", retry(2, 10)}}).edge("trigger", "a").compile();
    driver d(plan);
    d.script["a"] = [](auto&, uint32_t attempt, auto&) {
        return attempt == 1 ? node_result::retryable("connection_rate_limited", "429", 30'000) : node_result::success(1);
    };
    d.run();
    REQUIRE(d.waits.size() == 1);
    CHECK(d.waits[0].second == 30'000);
}

TEST_CASE("a node that exhausts its retries fails the run with its error") {
    auto plan = graph().node("a", "noop", {{"retry", retry(3, 10)}}).node("b", "noop")
                    .edge("trigger", "a").edge("a", "b").compile();
    driver d(plan);
    d.script["a"] = [](auto&, auto, auto&) { return node_result::retryable("action_execution_failed", "503"); };
    CHECK(d.run() == run_status::failed);
    CHECK(d.invoked == std::vector<std::string>{"a", "a", "a"});
    CHECK(d.record("b").status == node_status::skipped);
    CHECK(d.machine().error().at("code") == "action_execution_failed");
    CHECK(d.machine().error().at("node") == "a");
}

TEST_CASE("a fatal error is not retried") {
    auto plan = graph().node("a", "noop", {{"retry", retry(5, 10)}}).edge("trigger", "a").compile();
    driver d(plan);
    d.script["a"] = [](auto&, auto, auto&) { return node_result::fatal("connection_invalid", "401"); };
    CHECK(d.run() == run_status::failed);
    CHECK(d.invoked.size() == 1);
}

TEST_CASE("an error edge routes a failed node to its handler and the run succeeds") {
    auto plan = graph().node("a", "noop").node("next", "noop").node("handler", "noop")
                    .edge("trigger", "a").edge("a", "next").edge("a", "handler", "", "error").compile();
    driver d(plan);
    d.script["a"] = [](auto&, auto, auto&) { return node_result::fatal("action_validation_failed", "bad"); };
    CHECK(d.run() == run_status::succeeded);
    CHECK(d.record("handler").status == node_status::succeeded);
    CHECK(d.record("next").status == node_status::skipped);
    CHECK(d.record("a").error_routed);
}

TEST_CASE("the ignore directive ends the failed branch and lets the run succeed") {
    auto plan = graph().node("a", "noop", {{"on_error", {{"directive", "ignore"}}}}).node("b", "noop")
                    .node("other", "noop").edge("trigger", "a").edge("a", "b").edge("trigger", "other").compile();
    driver d(plan);
    d.script["a"] = [](auto&, auto, auto&) { return node_result::fatal("x", "y"); };
    CHECK(d.run() == run_status::succeeded);
    CHECK(d.record("a").ignored);
    CHECK(d.record("b").status == node_status::skipped);
    CHECK(d.record("other").status == node_status::succeeded);
}

TEST_CASE("the resume directive continues with the fallback output") {
    auto plan = graph().node("a", "noop", {{"on_error", {{"directive", "resume"}, {"output", {{"fallback", 1}}}}}})
                    .node("b", "noop").edge("trigger", "a").edge("a", "b").compile();
    driver d(plan);
    d.script["a"] = [](auto&, auto, auto&) { return node_result::fatal("x", "y"); };
    CHECK(d.run() == run_status::succeeded);
    CHECK(d.record("a").output.at("fallback") == 1);
    CHECK(d.record("b").status == node_status::succeeded);
}

TEST_CASE("the break directive stops the run as incomplete") {
    auto plan = graph().node("a", "noop", {{"on_error", {{"directive", "break"}}}}).node("b", "noop")
                    .edge("trigger", "a").edge("a", "b").compile();
    driver d(plan);
    d.script["a"] = [](auto&, auto, auto&) { return node_result::fatal("x", "y"); };
    CHECK(d.run() == run_status::incomplete);
    CHECK(d.record("b").status == node_status::skipped);
}

TEST_CASE("the commit directive stops the run as succeeded, keeping what was done") {
    auto plan = graph().node("done", "effect").node("a", "noop", {{"on_error", {{"directive", "commit"}}}})
                    .node("b", "noop").edge("trigger", "done").edge("done", "a").edge("a", "b").compile();
    driver d(plan);
    d.script["a"] = [](auto&, auto, auto&) { return node_result::fatal("x", "y"); };
    CHECK(d.run() == run_status::succeeded);
    CHECK(d.record("done").status == node_status::succeeded);
    CHECK(d.record("b").status == node_status::skipped);
    CHECK(d.compensated.empty());
}

TEST_CASE("the rollback directive compensates completed side effects, newest first") {
    auto plan = graph().node("first", "effect").node("pure", "noop").node("second", "effect")
                    .node("bad", "noop", {{"on_error", {{"directive", "rollback"}}}})
                    .edge("trigger", "first").edge("first", "pure").edge("pure", "second").edge("second", "bad").compile();
    driver d(plan);
    d.script["first"] = [](auto&, auto, auto&) { return node_result::success(json::object{{"id", 11}}); };
    d.script["second"] = [](auto&, auto, auto&) { return node_result::success(json::object{{"id", 22}}); };
    d.script["bad"] = [](auto&, auto, auto&) { return node_result::fatal("x", "y"); };
    CHECK(d.run() == run_status::failed);
    CHECK(d.compensated == std::vector<std::string>{"second", "first"});
    CHECK(d.compensation_inputs[0].at("id") == 22);
    CHECK(d.compensation_inputs[1].at("id") == 11);
    CHECK(d.machine().error().at("rolled_back") == true);
}

TEST_CASE("iterate runs its body once per item and aggregate collects the outputs in item order") {
    auto plan = graph().node("it", "iterate").node("body", "noop").node("agg", "aggregate").node("after", "noop")
                    .edge("trigger", "it").edge("it", "body").edge("body", "agg").edge("agg", "after").compile();
    driver d(plan);
    d.script["it"] = [](auto&, auto, auto&) { return node_result::success(json::parse(R"({"items":["a","b","c"]})")); };
    d.script["agg"] = [](auto&, auto, const json::value& input) { return node_result::success(input); };
    CHECK(d.run() == run_status::succeeded);
    CHECK(std::count(d.invoked.begin(), d.invoked.end(), "body") == 3);
    const auto& items = d.record("agg").output.at("items").as_array();
    REQUIRE(items.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) CHECK(items[i].at("item") == static_cast<int64_t>(i));
    CHECK(d.record("after").status == node_status::succeeded);
}

TEST_CASE("iterate respects its concurrency cap") {
    auto plan = graph().node("it", "iterate").node("body", "noop").node("agg", "aggregate")
                    .edge("trigger", "it").edge("it", "body").edge("body", "agg").compile();
    driver d(plan);
    d.auto_answer = false;
    d.script["it"] = [](auto&, auto, auto&) {
        return node_result::success(json::parse(R"({"items":[1,2,3,4,5], "concurrency": 2})"));
    };
    d.run();
    d.step_pending(); // the iterate node itself
    while (!d.finished) {
        CHECK(d.pending.size() <= 2);
        d.step_pending();
    }
    CHECK(std::count(d.invoked.begin(), d.invoked.end(), "body") == 5);
    CHECK(d.machine().status() == run_status::succeeded);
}

TEST_CASE("iterating over no items gives the aggregate an empty list") {
    auto plan = graph().node("it", "iterate").node("body", "noop").node("agg", "aggregate")
                    .edge("trigger", "it").edge("it", "body").edge("body", "agg").compile();
    driver d(plan);
    d.script["it"] = [](auto&, auto, auto&) { return node_result::success(json::parse(R"({"items":[]})")); };
    d.script["agg"] = [](auto&, auto, const json::value& input) { return node_result::success(input); };
    CHECK(d.run() == run_status::succeeded);
    CHECK(d.record("agg").output.at("items").as_array().empty());
    CHECK(std::count(d.invoked.begin(), d.invoked.end(), "body") == 0);
}

TEST_CASE("an iterate node that does not output items fails") {
    auto plan = graph().node("it", "iterate").node("body", "noop").node("agg", "aggregate")
                    .edge("trigger", "it").edge("it", "body").edge("body", "agg").compile();
    driver d(plan);
    d.script["it"] = [](auto&, auto, auto&) { return node_result::success(json::object{{"items", 3}}); };
    CHECK(d.run() == run_status::failed);
    CHECK(d.machine().error().at("code") == "invalid_iterate_output");
}

TEST_CASE("nested iterations run the inner body per inner item of each outer item") {
    auto plan = graph().node("outer", "iterate").node("inner", "iterate").node("body", "noop")
                    .node("inner_agg", "aggregate").node("outer_agg", "aggregate")
                    .edge("trigger", "outer").edge("outer", "inner").edge("inner", "body").edge("body", "inner_agg")
                    .edge("inner_agg", "outer_agg").compile();
    driver d(plan);
    d.script["outer"] = [](auto&, auto, auto&) { return node_result::success(json::parse(R"({"items":[1,2]})")); };
    d.script["inner"] = [](auto&, auto, auto&) { return node_result::success(json::parse(R"({"items":["x","y","z"]})")); };
    d.script["inner_agg"] = [](auto&, auto, const json::value& in) { return node_result::success(in); };
    d.script["outer_agg"] = [](auto&, auto, const json::value& in) { return node_result::success(in); };
    CHECK(d.run() == run_status::succeeded);
    CHECK(std::count(d.invoked.begin(), d.invoked.end(), "body") == 6);
    const auto& outer = d.record("outer_agg").output.at("items").as_array();
    REQUIRE(outer.size() == 2);
    CHECK(outer[0].at("items").as_array().size() == 3);
}

TEST_CASE("a merge on any starts with the first branch that arrives") {
    auto plan = graph().node("a", "noop").node("b", "noop").node("m", "merge", {{"settings", {{"mode", "any"}}}})
                    .edge("trigger", "a").edge("trigger", "b").edge("a", "m").edge("b", "m").compile();
    driver d(plan);
    d.auto_answer = false;
    d.run();
    d.answer(d.pending.front(), node_result::success(1));
    CHECK(d.record("m").status == node_status::running);
    d.step_pending();
    d.step_pending();
    CHECK(d.finished);
    CHECK(std::count(d.invoked.begin(), d.invoked.end(), "m") == 1);
}

TEST_CASE("cancel asks every running call to stop and ends the run as cancelled") {
    auto plan = graph().node("a", "noop").node("b", "noop").node("c", "noop")
                    .edge("trigger", "a").edge("trigger", "b").edge("a", "c").compile();
    driver d(plan);
    d.auto_answer = false;
    d.run();
    std::vector<run_action> out;
    d.machine().cancel("user asked", d.now(), out);
    std::size_t cancels = std::count_if(out.begin(), out.end(), [](auto& a) { return a.type == run_action::kind::cancel_call; });
    CHECK(cancels == 2);
    CHECK_FALSE(d.machine().status() == run_status::cancelled); // calls still in flight
    for (auto k : std::vector<node_key>(d.pending)) d.answer(k, node_result::fatal("cancelled", "cancelled"));
    CHECK(d.machine().status() == run_status::cancelled);
    CHECK(d.record("c").status == node_status::skipped);
}

TEST_CASE("pause stops at node boundaries and resume continues") {
    auto plan = graph().node("a", "noop").node("b", "noop").edge("trigger", "a").edge("a", "b").compile();
    driver d(plan);
    d.auto_answer = false;
    d.run();
    d.machine().pause();
    d.step_pending(); // a finishes; b must not start
    CHECK(d.machine().status() == run_status::paused);
    CHECK(d.pending.empty());
    std::vector<run_action> out;
    d.machine().resume(d.now(), out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].type == run_action::kind::invoke);
}

TEST_CASE("a suspend result waits until its time without holding a call, then succeeds") {
    auto plan = graph().node("delay", "noop").node("b", "noop").edge("trigger", "delay").edge("delay", "b").compile();
    driver d(plan);
    d.script["delay"] = [](auto&, auto, auto&) { return node_result::suspend(1'000'000 + 60'000, json::object{{"waited", true}}); };
    CHECK(d.run() == run_status::succeeded);
    REQUIRE(d.waits.size() == 1);
    CHECK(d.waits[0].second == 60'000);
    CHECK(d.record("delay").output.at("waited") == true);
    CHECK(d.record("b").status == node_status::succeeded);
}

TEST_CASE("no more nodes run at once than the scenario's max_parallel") {
    graph g;
    g.settings({{"max_parallel", 3}});
    for (int i = 0; i < 10; ++i) g.node("n" + std::to_string(i), "noop").edge("trigger", "n" + std::to_string(i));
    driver d(g.compile());
    d.auto_answer = false;
    d.run();
    CHECK(d.pending.size() == 3);
    while (!d.finished) {
        CHECK(d.pending.size() <= 3);
        d.step_pending();
    }
    CHECK(d.invoked.size() == 10);
}

TEST_CASE("a mapping failure fails the node without calling its plugin") {
    auto plan = graph().node("a", "noop", {{"settings", {{"fail_mapping", true}}}}).edge("trigger", "a").compile();
    driver d(plan);
    CHECK(d.run() == run_status::failed);
    CHECK(d.invoked.empty());
    CHECK(d.record("a").error.at("code") == "mapping_failed");
}

TEST_CASE("an open circuit breaker fails calls fast until its probe succeeds") {
    breaker_registry breakers({2, 10'000});
    auto plan = graph().node("a", "noop", {{"connection_id", "c1"}, {"retry", retry(1, 10)}}).edge("trigger", "a").compile();
    machine_options opts;
    opts.breakers = &breakers;
    for (int i = 0; i < 2; ++i) {
        driver d(plan, opts);
        d.script["a"] = [](auto&, auto, auto&) { return node_result::retryable("action_execution_failed", "503"); };
        d.run();
    }
    CHECK(breakers.state("t/c1", 1'000'000) == breaker_state::open);
    driver blocked(plan, opts);
    CHECK(blocked.run() == run_status::failed);
    CHECK(blocked.invoked.empty());
    CHECK(blocked.record("a").error.at("code") == "circuit_open");
    CHECK(breakers.state("t/c1", 1'000'000 + 10'000) == breaker_state::half_open);
    CHECK(breakers.acquire("t/c1", 1'000'000 + 10'000).allowed);
    CHECK_FALSE(breakers.acquire("t/c1", 1'000'000 + 10'001).allowed); // one probe at a time
    breakers.record("t/c1", false, 1'000'000 + 10'002);
    CHECK(breakers.state("t/c1", 1'000'000 + 10'003) == breaker_state::closed);
}

TEST_CASE("a failed half-open probe opens the breaker again") {
    breaker_registry breakers({1, 1000});
    breakers.record("k", true, 0);
    CHECK(breakers.state("k", 500) == breaker_state::open);
    CHECK(breakers.acquire("k", 1000).allowed);
    breakers.record("k", true, 1001);
    CHECK(breakers.state("k", 1500) == breaker_state::open);
    CHECK_FALSE(breakers.acquire("k", 1500).allowed);
}

TEST_CASE("a node that routes to no handle ends its branch, as a filter that drops the event") {
    auto plan = graph().node("filter", "noop").node("after", "noop").edge("trigger", "filter").edge("filter", "after").compile();
    driver d(plan);
    d.script["filter"] = [](auto&, auto, auto&) { return node_result::success(json::object{{"passed", false}}, {}); };
    CHECK(d.run() == run_status::succeeded);
    CHECK(d.record("after").status == node_status::skipped);
}

TEST_CASE("a stop node ends the run as succeeded and nothing after it runs") {
    auto plan = graph().node("a", "noop").node("halt", "stop").node("b", "noop").node("slow", "noop")
                    .edge("trigger", "a").edge("a", "halt").edge("halt", "b").edge("trigger", "slow").compile();
    driver d(plan);
    d.auto_answer = false;
    d.run();
    d.step_pending(); // a and slow
    d.step_pending(); // halt
    CHECK(d.finished);
    CHECK(d.machine().status() == run_status::succeeded);
    CHECK(d.record("b").status == node_status::skipped);
}

namespace {
// Reads {{vars.<name>}} for the settings key "read".
class vars_renderer final : public input_renderer {
public:
    explicit vars_renderer(std::shared_ptr<const execution_plan> plan) : plan_(std::move(plan)) {}
    json::value render(uint32_t node, const data_scope& scope) const override {
        const auto& settings = plan_->nodes()[node].definition->settings;
        if (auto* name = settings.is_object() ? settings.get_object().if_contains("read") : nullptr) {
            const json::value* v = scope.resolve("vars", name->get_string());
            return json::object{{"value", v ? *v : json::value()}};
        }
        return settings;
    }
    json::value render_compensation(uint32_t, const json::value& t, const data_scope&) const override { return t; }

private:
    std::shared_ptr<const execution_plan> plan_;
};
} // namespace

TEST_CASE("variables set by a variables node are visible to the nodes after it") {
    auto plan = graph().node("set", "vars").node("use", "noop", {{"settings", {{"read", "customer"}}}})
                    .edge("trigger", "set").edge("set", "use").compile();
    machine_options opts;
    opts.renderer = std::make_shared<vars_renderer>(plan);
    driver d(plan, opts);
    d.script["set"] = [](auto&, auto, auto&) { return node_result::success(json::object{{"customer", "ada"}}); };
    d.script["use"] = [](auto&, auto, const json::value& input) { return node_result::success(input); };
    CHECK(d.run() == run_status::succeeded);
    CHECK(d.record("use").output.at("value") == "ada");
}
