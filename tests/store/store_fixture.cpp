#include "store_fixture.hpp"

#include "db/migrator.hpp"
#include "store/store.hpp"
#include "store/store_error.hpp"

namespace sr::test {

namespace json = boost::json;

store_db::store_db() { sr::host::migrate(conn); }

std::string store_db::create_org(const std::string& slug) {
    pqxx::work tx(conn);
    auto id = tx.exec_params1("INSERT INTO organizations (name, slug) VALUES ($1, $1) RETURNING id", slug)[0]
                  .as<std::string>();
    tx.commit();
    return id;
}

std::string store_db::create_user(const std::string& email) {
    pqxx::work tx(conn);
    auto id = tx.exec_params1("INSERT INTO users (email) VALUES ($1) RETURNING id", email)[0].as<std::string>();
    tx.commit();
    return id;
}

std::string store_db::published_scenario(const std::string& org, const json::value& graph) {
    pqxx::work tx(conn);
    auto row = sr::host::create_scenario(tx, org, "", "scenario", "", nullptr);
    sr::host::save_draft(tx, org, row.id, graph, -1);
    sr::host::publish_scenario(tx, org, row.id, "", "", nullptr);
    tx.commit();
    return row.id;
}

int store_db::count(const std::string& sql) {
    pqxx::work tx(conn);
    return tx.exec(sql)[0][0].as<int>();
}

json::object graph_node(const std::string& id, const std::string& type, json::value settings) {
    return {{"id", id}, {"type", type}, {"version", 1}, {"position", {{"x", 10}, {"y", 20}}},
            {"data", {{"label", id}, {"settings", std::move(settings)}}}};
}

json::object graph_edge(const std::string& from, const std::string& to) {
    return {{"id", from + "-" + to}, {"source", from}, {"target", to}};
}

json::value two_node_graph(const std::string& message) {
    return json::object{{"nodes", json::array{graph_node("trigger", "system.manual"),
                                              graph_node("log", "system.log", {{"message", message}})}},
                        {"edges", json::array{graph_edge("trigger", "log")}},
                        {"viewport", {{"x", 0}, {"y", 0}, {"zoom", 1}}}};
}

std::string insert_run(pqxx::transaction_base& tx, const std::string& scenario_id, const std::string& version_id,
                       const std::string& status, const std::string& created_at) {
    return tx.exec_params1("INSERT INTO runs (scenario_id, version_id, status, trigger_kind, correlation_id, created_at)"
                           " VALUES ($1, $2, $3, 'manual', gen_random_uuid()::text, " +
                               created_at + ") RETURNING id",
                           scenario_id, version_id, status)[0]
        .as<std::string>();
}

std::string store_error_code(const std::function<void()>& f) {
    try {
        f();
    } catch (const host::store_error& e) {
        return e.code;
    }
    return "no error";
}

} // namespace sr::test
