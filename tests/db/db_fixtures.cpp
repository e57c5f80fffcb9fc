#include "db_fixtures.hpp"

#include "db/migrator.hpp"

namespace sr::test {

void migrate_schema(pqxx::connection& conn) {
    sr::host::migrate(conn);
}

scenario_ids create_scenario(pqxx::connection& conn, const std::string& slug) {
    pqxx::work tx(conn);
    scenario_ids ids;
    ids.organization = tx.exec_params1("INSERT INTO organizations (name, slug) VALUES ($1, $1) RETURNING id", slug)[0]
                           .as<std::string>();
    ids.scenario = tx.exec_params1("INSERT INTO scenarios (organization_id, name) VALUES ($1, 'scenario') RETURNING id",
                                   ids.organization)[0]
                       .as<std::string>();
    ids.version = tx.exec_params1("INSERT INTO scenario_versions (scenario_id, number, definition)"
                                  " VALUES ($1, 1, '{}') RETURNING id",
                                  ids.scenario)[0]
                      .as<std::string>();
    tx.exec_params("INSERT INTO scenario_nodes (version_id, scenario_id, node_id, type, plugin_id, plugin_major)"
                   " VALUES ($1, $2, 'n1', 'action', 'system', 1)",
                   ids.version, ids.scenario);
    tx.exec_params("UPDATE scenarios SET current_version_id = $1 WHERE id = $2", ids.version, ids.scenario);
    tx.commit();
    return ids;
}

std::string explain(pqxx::connection& conn, const std::string& query) {
    pqxx::work tx(conn);
    std::string plan;
    for (const auto& row : tx.exec("EXPLAIN " + query)) plan += row[0].as<std::string>() + "\n";
    return plan;
}

} // namespace sr::test
