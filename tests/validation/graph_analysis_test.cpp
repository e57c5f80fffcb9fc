// Topological order and cycle detection on generated graphs, and validation of large graphs.
#include <catch2/catch.hpp>

#include <algorithm>
#include <ctime>
#include <random>
#include <set>
#include <sstream>

#include "sr/core/validation/graph_analysis.hpp"
#include "validation_test_support.hpp"

using namespace sr::test;
using namespace sr::core::validation;

namespace {

// A random DAG over nodes 0..n-1 whose numbering hides the order: edges go from a lower to a
// higher rank, and ranks are a random permutation. Node `rank_to_node[0]` reaches every node.
struct random_dag {
    uint32_t size = 0;
    std::vector<uint32_t> rank_to_node;
    std::vector<index_edge> edges;
};

random_dag make_dag(uint32_t n, uint32_t extra_edges, uint32_t seed) {
    std::mt19937 rng(seed);
    random_dag dag;
    dag.size = n;
    dag.rank_to_node.resize(n);
    for (uint32_t i = 0; i < n; ++i) dag.rank_to_node[i] = i;
    std::shuffle(dag.rank_to_node.begin(), dag.rank_to_node.end(), rng);
    std::set<index_edge> seen;
    auto add = [&](uint32_t from_rank, uint32_t to_rank) {
        index_edge e{dag.rank_to_node[from_rank], dag.rank_to_node[to_rank]};
        if (seen.insert(e).second) dag.edges.push_back(e);
    };
    for (uint32_t r = 1; r < n; ++r) add(std::uniform_int_distribution<uint32_t>(0, r - 1)(rng), r);
    for (uint32_t k = 0; k < extra_edges; ++k) {
        uint32_t a = std::uniform_int_distribution<uint32_t>(0, n - 1)(rng);
        uint32_t b = std::uniform_int_distribution<uint32_t>(0, n - 1)(rng);
        if (a != b) add(std::min(a, b), std::max(a, b));
    }
    return dag;
}

// The scenario for a DAG: node rank_to_node[0] is the trigger; ids are "n<index>".
json::value dag_scenario(const random_dag& dag, const std::vector<index_edge>& extra = {}) {
    json::array nodes, edges;
    const uint32_t trigger = dag.rank_to_node[0];
    for (uint32_t i = 0; i < dag.size; ++i)
        nodes.push_back(json::object{{"id", "n" + std::to_string(i)},
                                     {"type", i == trigger ? "demo.manual" : "demo.noop"},
                                     {"data", json::object{}}});
    auto add = [&](const index_edge& e) {
        const std::string s = "n" + std::to_string(e.first), t = "n" + std::to_string(e.second);
        edges.push_back(json::object{{"id", s + "->" + t}, {"source", s}, {"target", t}});
    };
    for (const auto& e : dag.edges) add(e);
    for (const auto& e : extra) add(e);
    return json::object{{"nodes", std::move(nodes)}, {"edges", std::move(edges)}};
}

// "cycle: n1 -> n2 -> n1; ..." -> {"n1", "n2", "n1"}
std::vector<std::string> cycle_path(const std::string& message) {
    std::string text = message.substr(std::string("cycle: ").size());
    text = text.substr(0, text.find(';'));
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string token;
    while (in >> token)
        if (token != "->") out.push_back(token);
    return out;
}

uint32_t id_index(const std::string& id) { return static_cast<uint32_t>(std::stoul(id.substr(1))); }

json::value chain_scenario(uint32_t n, bool with_references) {
    json::array nodes, edges;
    nodes.push_back(json::object{{"id", "n0"}, {"type", "demo.manual"}});
    for (uint32_t i = 1; i < n; ++i) {
        json::object settings;
        if (with_references) settings["v"] = "{{n" + std::to_string(i - 1) + ".output.id}}";
        nodes.push_back(json::object{{"id", "n" + std::to_string(i)}, {"type", "demo.noop"},
                                     {"data", json::object{{"settings", std::move(settings)}}}});
        edges.push_back(json::object{{"id", "e" + std::to_string(i)}, {"source", "n" + std::to_string(i - 1)},
                                     {"target", "n" + std::to_string(i)}});
    }
    return json::object{{"nodes", std::move(nodes)}, {"edges", std::move(edges)}};
}

// The trigger fans out to n-1 nodes of a schema'd action, each reading the trigger.
json::value wide_scenario(uint32_t n) {
    json::array nodes, edges;
    nodes.push_back(json::object{{"id", "t"}, {"type", "demo.manual"}});
    for (uint32_t i = 1; i < n; ++i) {
        const std::string id = "n" + std::to_string(i);
        json::object settings{{"title", "post {{t.output.id}}"}, {"count", "{{trigger.body.count}}"}};
        nodes.push_back(json::object{{"id", id}, {"type", "demo.create_post"},
                                     {"data", json::object{{"settings", std::move(settings)}}}});
        edges.push_back(json::object{{"id", "e" + std::to_string(i)}, {"source", "t"}, {"target", id}});
    }
    return json::object{{"nodes", std::move(nodes)}, {"edges", std::move(edges)}};
}


} // namespace

TEST_CASE("generated random DAGs have a topological order that respects every edge") {
    for (uint32_t seed : {1u, 2u, 3u, 42u, 1234u}) {
        const auto dag = make_dag(300, 600, seed);
        const digraph graph(dag.size, dag.edges);
        auto order = topological_order(graph);
        REQUIRE(order);
        REQUIRE(order->size() == dag.size);
        std::vector<uint32_t> position(dag.size);
        for (uint32_t i = 0; i < order->size(); ++i) position[(*order)[i]] = i;
        for (const auto& [s, t] : dag.edges) CHECK(position[s] < position[t]);
    }
}

TEST_CASE("generated random DAGs have no cycle and one component per node") {
    for (uint32_t seed : {7u, 8u, 9u}) {
        const auto dag = make_dag(500, 1500, seed);
        const digraph graph(dag.size, dag.edges);
        const auto components = strongly_connected(graph);
        CHECK(components.cyclic.empty());
        CHECK(components.components.size() == dag.size);
        // Components come in topological order.
        for (const auto& [s, t] : dag.edges) CHECK(components.component_of[s] < components.component_of[t]);
    }
}

TEST_CASE("a generated random DAG validates with no cycle and a plan") {
    const auto dag = make_dag(400, 800, 99);
    auto r = validate(dag_scenario(dag));
    INFO(describe(r.problems));
    CHECK(r.problems.empty());
    CHECK(r.plan);
}

TEST_CASE("a back edge added to a generated DAG gives exactly that cycle") {
    int checked = 0;
    for (uint32_t seed : {11u, 12u, 13u, 14u, 15u, 16u}) {
        const auto dag = make_dag(300, 500, seed);
        // Back from a deep node to one of its ancestors: follow first-found parents upward.
        const digraph graph(dag.size, dag.edges);
        const uint32_t deep = dag.rank_to_node[dag.size - 1];
        uint32_t ancestor = deep;
        for (int hops = 0; hops < 4 && !graph.predecessors(ancestor).empty(); ++hops)
            ancestor = graph.predecessors(ancestor).front();
        REQUIRE(ancestor != deep);
        if (ancestor == dag.rank_to_node[0]) continue; // an edge into the trigger is another problem
        const index_edge back{deep, ancestor};

        auto r = validate(dag_scenario(dag, {back}));
        INFO(describe(r.problems));
        auto cycles = with_code(r.problems, "cycle");
        REQUIRE(cycles.size() == 1);
        CHECK(r.problems.size() == 1);
        auto path = cycle_path(cycles[0].message);
        REQUIRE(path.size() >= 3);
        CHECK(path.front() == path.back());
        CHECK(cycles[0].node_id == path.front());
        // Each step is an edge of the graph, and the back edge is one of them.
        std::set<index_edge> all(dag.edges.begin(), dag.edges.end());
        all.insert(back);
        bool uses_back = false;
        for (std::size_t i = 0; i + 1 < path.size(); ++i) {
            index_edge step{id_index(path[i]), id_index(path[i + 1])};
            CHECK(all.count(step) == 1);
            uses_back = uses_back || step == back;
        }
        CHECK(uses_back);
        ++checked;
    }
    CHECK(checked >= 3);
}

TEST_CASE("graph analysis finds a cycle's members exactly on a generated graph") {
    for (uint32_t seed : {5u, 6u}) {
        const auto dag = make_dag(200, 300, seed);
        const digraph plain(dag.size, dag.edges);
        // Close a loop from the lowest-ranked descendant-rich node's deepest descendant back to it.
        const uint32_t to = dag.rank_to_node[3];
        const auto down = reachable_from(plain, to);
        uint32_t from = to;
        for (uint32_t r = 0; r < dag.size; ++r)
            if (down[dag.rank_to_node[r]]) from = dag.rank_to_node[r];
        REQUIRE(from != to);
        auto edges = dag.edges;
        edges.emplace_back(from, to);
        const digraph graph(dag.size, edges);
        const auto components = strongly_connected(graph);
        REQUIRE(components.cyclic.size() == 1);
        // The members are exactly the nodes on some path from `to` to `from`.
        std::vector<uint32_t> expected;
        for (uint32_t v = 0; v < dag.size; ++v)
            if (down[v] && reachable_from(plain, v)[from]) expected.push_back(v);
        CHECK(components.components[components.cyclic[0]] == expected);
        CHECK_FALSE(topological_order(graph));
        const auto cycle = shortest_cycle(graph, components, to);
        REQUIRE(cycle.size() >= 3);
        CHECK(cycle.front() == to);
        CHECK(cycle[cycle.size() - 2] == from);
    }
}

TEST_CASE("a 10000-node chain validates without exhausting the stack") {
    auto r = validate(chain_scenario(10'000, true));
    INFO(describe(r.problems));
    CHECK(r.problems.empty());
    REQUIRE(r.plan);
    CHECK(r.plan->nodes().size() == 10'000);
}

TEST_CASE("a 10000-node cycle is found without exhausting the stack") {
    auto scenario = chain_scenario(10'000, false);
    scenario.as_object()["edges"].as_array().push_back(
        json::object{{"id", "back"}, {"source", "n9999"}, {"target", "n1"}});
    auto r = validate(scenario);
    auto cycles = with_code(r.problems, "cycle");
    REQUIRE(cycles.size() == 1);
    CHECK(cycles[0].node_id == "n1");
    CHECK(cycle_path(cycles[0].message).size() == 10'000); // n1 .. n9999 and n1 again
}


TEST_CASE("a 1000-node wide graph whose nodes all read the trigger validates cleanly") {
    scenario_validator validator(demo_catalog());
    auto r = validator.validate(wide_scenario(1000));
    INFO(describe(r.problems));
    CHECK(r.problems.empty());
    REQUIRE(r.plan);
    CHECK(r.plan->nodes().size() == 1000);
}
