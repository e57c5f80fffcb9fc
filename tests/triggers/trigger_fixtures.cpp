#include "trigger_fixtures.hpp"

#include "db/migrator.hpp"

namespace sr::test {

trigger_database::trigger_database() : conn_(db_.conninfo()) {
    sr::host::migrate(conn_);
    pqxx::work tx(conn_);
    organization_ = tx.exec1("INSERT INTO organizations (name, slug) VALUES ('org', 'org') RETURNING id::text")[0]
                        .as<std::string>();
    tx.commit();
}

std::string trigger_database::create_scenario(const std::string& name) {
    pqxx::work tx(conn_);
    auto scenario = tx.exec_params1("INSERT INTO scenarios (organization_id, name, status) "
                                    "VALUES ($1, $2, 'active') RETURNING id::text",
                                    organization_, name)[0]
                        .as<std::string>();
    auto version = tx.exec_params1("INSERT INTO scenario_versions (scenario_id, number, definition) "
                                   "VALUES ($1, 1, '{\"nodes\": [], \"edges\": []}') RETURNING id::text",
                                   scenario)[0]
                       .as<std::string>();
    tx.exec_params("UPDATE scenarios SET current_version_id = $1 WHERE id = $2", version, scenario);
    tx.commit();
    return scenario;
}

void trigger_database::set_status(const std::string& scenario_id, const std::string& status,
                                  const std::string& pause_policy) {
    pqxx::work tx(conn_);
    tx.exec_params("UPDATE scenarios SET status = $2, pause_policy = $3 WHERE id = $1", scenario_id, status,
                   pause_policy);
    tx.commit();
}

std::string trigger_database::add_schedule(const std::string& scenario_id, const std::string& node_id,
                                           const std::string& cron, const std::string& next_fire_at_sql,
                                           const std::string& catch_up, const std::string& timezone, bool active) {
    pqxx::work tx(conn_);
    auto id = tx.exec_params1("INSERT INTO schedules (scenario_id, node_id, cron, timezone, catch_up, next_fire_at, "
                              "  is_active) VALUES ($1, $2, $3, $4, $5, " + next_fire_at_sql + ", $6) RETURNING id::text",
                              scenario_id, node_id, cron, timezone, catch_up, active)[0]
                  .as<std::string>();
    tx.commit();
    return id;
}

std::vector<std::string> trigger_database::scheduled_slots(const std::string& scenario_id, const std::string& node_id) {
    pqxx::work tx(conn_);
    std::vector<std::string> slots;
    for (const auto& row : tx.exec_params("SELECT trigger_data->>'scheduled_at' FROM runs "
                                          "WHERE scenario_id = $1 AND trigger_node_id = $2 AND trigger_kind = 'schedule' "
                                          "ORDER BY 1",
                                          scenario_id, node_id))
        slots.push_back(row[0].as<std::string>());
    return slots;
}

std::string trigger_database::scalar(const std::string& sql) {
    pqxx::work tx(conn_);
    auto row = tx.exec1(sql);
    return row[0].is_null() ? std::string() : row[0].as<std::string>();
}

} // namespace sr::test
