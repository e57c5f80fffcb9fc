// Publishing: numbered immutable versions with their nodes and edges, refusal with problems,
// rollback, runs pinned to their version.
#include <atomic>
#include <thread>

#include <catch2/catch.hpp>

#include "store/store.hpp"
#include "store_fixture.hpp"

using namespace sr::host;
using sr::test::store_db;
namespace json = boost::json;

namespace {
graph_validator accept_all() {
    return [](const json::value&) { return json::array{}; };
}

std::string new_scenario(store_db& s, const std::string& org, const json::value& graph) {
    pqxx::work tx(s.conn);
    auto id = create_scenario(tx, org, "", "x", "", nullptr).id;
    save_draft(tx, org, id, graph, -1);
    tx.commit();
    return id;
}
} // namespace

TEST_CASE("publish_scenario numbers versions from 1 and makes the newest current and the scenario active") {
    store_db s;
    auto org = s.create_org("acme");
    auto user = s.create_user("p@example.com");
    auto id = new_scenario(s, org, sr::test::two_node_graph());
    pqxx::work tx(s.conn);
    auto v1 = publish_scenario(tx, org, id, user, "first", accept_all());
    auto v2 = publish_scenario(tx, org, id, "", "", accept_all());
    CHECK(v1.number == 1);
    CHECK(v2.number == 2);
    CHECK(v1.change_summary == "first");
    CHECK(v1.published_by == user);
    CHECK(v2.published_by.empty());
    auto row = find_scenario(tx, org, id);
    CHECK(row->current_version_id == v2.id);
    CHECK(row->current_version_number == 2);
    CHECK(row->status == "active");
    auto versions = list_versions(tx, org, id);
    REQUIRE(versions.size() == 2);
    CHECK(versions[0].number == 2);
    CHECK(versions[1].number == 1);
}

TEST_CASE("publish_scenario writes one node row per node with its plugin, operation, major and settings") {
    store_db s;
    auto org = s.create_org("acme");
    auto other = s.create_org("other");
    std::string conn_id;
    {
        pqxx::work tx(s.conn);
        auto integration = tx.exec("INSERT INTO integrations (manifest_id, name) VALUES ('wordpress', 'WP') RETURNING id")[0][0]
                               .as<std::string>();
        conn_id = tx.exec_params1("INSERT INTO connections (organization_id, integration_id, connection_type, name,"
                                  " credentials, nonce, key_id) VALUES ($1, $2, 'site', 'c', 'x', '123456789012', 'k')"
                                  " RETURNING id",
                                  org, integration)[0]
                      .as<std::string>();
        tx.commit();
    }
    auto wp = sr::test::graph_node("post", "wordpress.create_post", {{"title", "t"}});
    wp["version"] = "2.1.0";
    wp["data"].as_object()["connection_id"] = conn_id;
    auto foreign = sr::test::graph_node("foreign", "wordpress.create_post", {{"connection_id", conn_id}});
    auto bogus = sr::test::graph_node("bogus", "wordpress.create_post");
    bogus["data"].as_object()["connection_id"] = "not-a-uuid";
    json::value graph = json::object{
        {"nodes", json::array{sr::test::graph_node("trigger", "system.manual"), wp, bogus}},
        {"edges", json::array{sr::test::graph_edge("trigger", "post"),
                              json::object{{"id", "e2"}, {"source", "post"}, {"target", "bogus"}, {"kind", "error"},
                                           {"sourceHandle", "error"}}}}};
    auto id = new_scenario(s, org, graph);
    pqxx::work tx(s.conn);
    auto v = publish_scenario(tx, org, id, "", "", accept_all());
    auto nodes = tx.exec_params("SELECT node_id, type, plugin_id, operation_id, plugin_major, coalesce(connection_id::text, ''),"
                                " settings::text, position_x, label FROM scenario_nodes WHERE version_id = $1 ORDER BY node_id",
                                v.id);
    REQUIRE(nodes.size() == 3);
    CHECK(nodes[0][0].as<std::string>() == "bogus");
    CHECK(nodes[0][5].as<std::string>().empty());
    CHECK(nodes[1][0].as<std::string>() == "post");
    CHECK(nodes[1][1].as<std::string>() == "wordpress.create_post");
    CHECK(nodes[1][2].as<std::string>() == "wordpress");
    CHECK(nodes[1][3].as<std::string>() == "create_post");
    CHECK(nodes[1][4].as<int>() == 2);
    CHECK(nodes[1][5].as<std::string>() == conn_id);
    CHECK(json::parse(nodes[1][6].as<std::string>()) == json::parse(R"({"title": "t"})"));
    CHECK(nodes[1][7].as<double>() == 10);
    CHECK(nodes[2][2].as<std::string>() == "system");
    CHECK(nodes[2][4].as<int>() == 1);
    auto edges = tx.exec_params("SELECT edge_id, kind, coalesce(source_handle, '') FROM scenario_edges"
                                " WHERE version_id = $1 ORDER BY edge_id", v.id);
    REQUIRE(edges.size() == 2);
    CHECK(edges[0][1].as<std::string>() == "error");
    CHECK(edges[0][2].as<std::string>() == "error");
    CHECK(edges[1][1].as<std::string>() == "success");

    // A connection of another organization is not pinned.
    json::value foreign_graph = json::object{{"nodes", json::array{foreign}}, {"edges", json::array{}}};
    tx.commit();
    auto other_id = new_scenario(s, other, foreign_graph);
    pqxx::work tx2(s.conn);
    auto ov = publish_scenario(tx2, other, other_id, "", "", accept_all());
    CHECK(tx2.exec_params1("SELECT connection_id IS NULL FROM scenario_nodes WHERE version_id = $1", ov.id)[0].as<bool>());
}

TEST_CASE("an earlier version is unchanged by a later draft save and publish") {
    store_db s;
    auto org = s.create_org("acme");
    auto id = new_scenario(s, org, sr::test::two_node_graph("v1"));
    pqxx::work tx(s.conn);
    auto v1 = publish_scenario(tx, org, id, "", "", accept_all());
    save_draft(tx, org, id, sr::test::two_node_graph("v2"), -1);
    auto v2 = publish_scenario(tx, org, id, "", "", accept_all());
    auto again = find_version(tx, id, v1.id);
    REQUIRE(again);
    CHECK(again->definition == sr::test::two_node_graph("v1"));
    CHECK(find_version(tx, id, v2.id)->definition == sr::test::two_node_graph("v2"));
    CHECK(tx.exec_params1("SELECT settings->>'message' FROM scenario_nodes WHERE version_id = $1 AND node_id = 'log'",
                          v1.id)[0]
              .as<std::string>() == "v1");
}

TEST_CASE("publish_scenario with problems throws validation_failed and writes nothing") {
    store_db s;
    auto org = s.create_org("acme");
    auto id = new_scenario(s, org, sr::test::two_node_graph());
    pqxx::work tx(s.conn);
    auto refuse = [](const json::value&) {
        return json::array{json::object{{"code", "unknown_action"}, {"node_id", "log"}, {"message", "no"}}};
    };
    try {
        publish_scenario(tx, org, id, "", "", refuse);
        FAIL("published despite problems");
    } catch (const store_error& e) {
        CHECK(e.code == "validation_failed");
        CHECK(e.details.at(0).at("node_id") == "log");
    }
    CHECK(tx.exec("SELECT count(*) FROM scenario_versions")[0][0].as<int>() == 0);
    CHECK(tx.exec("SELECT count(*) FROM scenario_nodes")[0][0].as<int>() == 0);
    auto row = find_scenario(tx, org, id);
    CHECK(row->status == "draft");
    CHECK(row->current_version_id.empty());
}

TEST_CASE("publish_scenario refuses a structurally broken draft even when the validator accepts it") {
    store_db s;
    auto org = s.create_org("acme");
    json::value dangling = json::object{{"nodes", json::array{sr::test::graph_node("a", "system.manual")}},
                                        {"edges", json::array{sr::test::graph_edge("a", "missing")}}};
    json::value bad_type = json::object{{"nodes", json::array{sr::test::graph_node("a", "nodot")}}, {"edges", json::array{}}};
    json::value no_nodes = json::object{{"viewport", json::object{}}};
    for (const auto& graph : {dangling, bad_type, no_nodes}) {
        auto id = new_scenario(s, org, graph);
        pqxx::work tx(s.conn);
        try {
            publish_scenario(tx, org, id, "", "", accept_all());
            FAIL("published " << json::serialize(graph));
        } catch (const store_error& e) {
            CHECK(e.code == "validation_failed");
            CHECK(e.details.is_array());
            CHECK_FALSE(e.details.as_array().empty());
        }
    }
    CHECK(s.count("SELECT count(*) FROM scenario_versions") == 0);
}

TEST_CASE("rollback_scenario makes an earlier version current and refuses an unknown number") {
    store_db s;
    auto org = s.create_org("acme");
    auto id = new_scenario(s, org, sr::test::two_node_graph("v1"));
    pqxx::work tx(s.conn);
    auto v1 = publish_scenario(tx, org, id, "", "", accept_all());
    save_draft(tx, org, id, sr::test::two_node_graph("v2"), -1);
    publish_scenario(tx, org, id, "", "", accept_all());
    auto back = rollback_scenario(tx, org, id, 1);
    CHECK(back.id == v1.id);
    auto row = find_scenario(tx, org, id);
    CHECK(row->current_version_id == v1.id);
    CHECK(row->current_version_number == 1);
    CHECK(row->draft_graph == sr::test::two_node_graph("v2")); // the draft is left as edited
    try {
        rollback_scenario(tx, org, id, 7);
        FAIL("rolled back to a version that does not exist");
    } catch (const store_error& e) {
        CHECK(e.code == "not_found");
    }
    CHECK(find_scenario(tx, org, id)->current_version_id == v1.id);
}

TEST_CASE("a run keeps the version it started on after a new publish") {
    store_db s;
    auto org = s.create_org("acme");
    auto id = new_scenario(s, org, sr::test::two_node_graph("v1"));
    pqxx::work tx(s.conn);
    auto v1 = publish_scenario(tx, org, id, "", "", accept_all());
    auto run = sr::test::insert_run(tx, id, v1.id, "running");
    save_draft(tx, org, id, sr::test::two_node_graph("v2"), -1);
    auto v2 = publish_scenario(tx, org, id, "", "", accept_all());
    auto found = find_run(tx, org, run);
    REQUIRE(found);
    CHECK(found->at("version_id") == json::value(v1.id));
    CHECK(found->at("version_number") == 1);
    CHECK(find_scenario(tx, org, id)->current_version_id == v2.id);
}

TEST_CASE("concurrent publishes of one scenario get distinct consecutive numbers") {
    store_db s;
    auto org = s.create_org("acme");
    auto id = new_scenario(s, org, sr::test::two_node_graph());
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&] {
            try {
                pqxx::connection c(s.db.conninfo());
                for (int k = 0; k < 3; ++k) {
                    pqxx::work tx(c);
                    publish_scenario(tx, org, id, "", "", accept_all());
                    tx.commit();
                }
            } catch (const std::exception&) {
                ++failures;
            }
        });
    for (auto& t : threads) t.join();
    CHECK(failures == 0);
    CHECK(s.count("SELECT count(DISTINCT number) FROM scenario_versions") == 12);
    CHECK(s.count("SELECT max(number) FROM scenario_versions") == 12);
}
