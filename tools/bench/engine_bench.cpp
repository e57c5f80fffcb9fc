// B4 (docs/benchmarks.md): the engine in-process, no database, no sockets. The plugin call is
// answered at once, so what is measured is the engine's own work per node: readiness, edge
// decisions, rendering the node's settings, recording the result.
#include <benchmark/benchmark.h>

#include <boost/json.hpp>

#include "sr/core/engine/run_machine.hpp"
#include "sr/core/mapping/compiled_expression.hpp"
#include "sr/core/mapping/template_renderer.hpp"
#include "sr/core/model/scenario.hpp"
#include "sr/core/validation/scenario_validator.hpp"

namespace json = boost::json;
using namespace sr::core;
using namespace sr::core::engine;

namespace {

const action_catalog& catalog() {
    static const action_catalog c = [] {
        action_catalog cat;
        cat.add_manifest(json::parse(R"({"id":"b","name":"Bench","version":"1.0.0",
          "actions":[{"id":"noop","name":"No-op","side_effects":false,
                      "settings_schema":{"type":"object","properties":{"n":{"type":"integer"},"label":{"type":"string"}}}}],
          "triggers":[{"id":"manual","name":"Manual","kind":"manual"}]})"));
        return cat;
    }();
    return c;
}

json::object make_node(const std::string& id, const std::string& type, json::object settings) {
    return {{"id", id}, {"type", type}, {"data", {{"settings", std::move(settings)}}}};
}

// A chain t -> n1 -> ... -> n(k), each node reading the previous one's output.
json::value chain(int k) {
    json::array nodes{make_node("t", "b.manual", {})}, edges;
    std::string prev = "t";
    for (int i = 1; i <= k; ++i) {
        std::string id = "n" + std::to_string(i);
        nodes.push_back(make_node(id, "b.noop", {{"n", i}, {"label", "after {{" + prev + ".output.n}}"}}));
        edges.push_back(json::object{{"id", "e" + id}, {"source", prev}, {"target", id}});
        prev = id;
    }
    return json::object{{"nodes", nodes}, {"edges", edges}, {"settings", {{"max_parallel", 1024}}}};
}

// The trigger fans out to k independent nodes.
json::value wide(int k) {
    json::array nodes{make_node("t", "b.manual", {})}, edges;
    for (int i = 1; i <= k; ++i) {
        std::string id = "n" + std::to_string(i);
        nodes.push_back(make_node(id, "b.noop", {{"n", i}, {"label", "{{trigger.body.name}}"}}));
        edges.push_back(json::object{{"id", "e" + id}, {"source", "t"}, {"target", id}});
    }
    return json::object{{"nodes", nodes}, {"edges", edges}, {"settings", {{"max_parallel", 1024}}}};
}

std::shared_ptr<const execution_plan> plan_of(const json::value& scenario) {
    auto parsed = parse_scenario(scenario);
    return compile_plan(std::move(*parsed.definition), catalog()).plan;
}

// One whole run: every invoke answered at once with {"n": i}.
void run_once(const std::shared_ptr<const execution_plan>& plan, const std::shared_ptr<const input_renderer>& renderer,
              std::vector<run_action>& actions, std::vector<run_action>& next) {
    machine_options options;
    options.renderer = renderer;
    options.unit_random = [] { return 0.5; };
    run_machine m(plan, options);
    actions.clear();
    m.start(json::object{{"body", {{"name", "bench"}}}}, 0, actions);
    while (!actions.empty()) {
        next.clear();
        for (const auto& a : actions)
            if (a.type == run_action::kind::invoke)
                m.on_result(a.key, node_result::success(json::object{{"n", a.key.node}}), 0, next);
        actions.swap(next);
    }
    if (m.status() != run_status::succeeded) throw std::runtime_error("bench run did not succeed");
}

void bench_run(benchmark::State& state, const json::value& scenario) {
    auto plan = plan_of(scenario);
    auto renderer = std::make_shared<mapping::template_renderer>(plan);
    std::vector<run_action> actions, next;
    for (auto _ : state) run_once(plan, renderer, actions, next);
    const auto nodes = static_cast<double>(plan->nodes().size());
    state.counters["ns_per_node"] =
        benchmark::Counter(nodes * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_chain_20(benchmark::State& s) { bench_run(s, chain(19)); }
void BM_wide_1000(benchmark::State& s) { bench_run(s, wide(999)); }

void BM_validate_1000(benchmark::State& state) {
    const json::value scenario = wide(999);
    validation::scenario_validator validator(catalog());
    for (auto _ : state) {
        auto r = validator.validate(scenario);
        if (!r.ok()) throw std::runtime_error("bench scenario does not validate");
        benchmark::DoNotOptimize(r);
    }
}

class fixed_scope final : public data_scope {
public:
    const json::value* resolve(std::string_view root, std::string_view field) const override {
        if (root != "trigger") return nullptr;
        return field.empty() ? &trigger_ : trigger_.as_object().if_contains(field);
    }
    int64_t now_ms() const override { return 0; }

private:
    json::value trigger_ = json::parse(R"({"body":{"id":7,"amount":100}})");
};

void BM_expression(benchmark::State& state, const char* text) {
    auto expr = mapping::compiled_expression::compile(text);
    fixed_scope scope;
    for (auto _ : state) benchmark::DoNotOptimize(expr.evaluate(scope));
}

} // namespace

BENCHMARK(BM_chain_20)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_wide_1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_validate_1000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_expression, path, "trigger.body.amount")->Unit(benchmark::kNanosecond);
BENCHMARK_CAPTURE(BM_expression, arithmetic, "trigger.body.amount * 1.2")->Unit(benchmark::kNanosecond);
BENCHMARK_CAPTURE(BM_expression, comparison, "trigger.body.amount * 1.2 > 100")->Unit(benchmark::kNanosecond);
BENCHMARK_MAIN();
