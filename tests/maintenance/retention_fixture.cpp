#include "retention_fixture.hpp"

#include "store/store.hpp"

namespace sr::test {

retention_db::retention_db() {
    pqxx::work tx(s.conn);
    version = sr::host::find_scenario(tx, org, scenario)->current_version_id;
}

std::string retention_db::add_run(const std::string& status, const std::string& created_ago,
                                  const std::string& finished_ago) {
    pqxx::work tx(s.conn);
    auto id = tx.exec_params1(
                    "INSERT INTO runs (scenario_id, version_id, status, trigger_kind, correlation_id, created_at,"
                    " finished_at) VALUES ($1, $2, $3, 'manual', gen_random_uuid()::text, now() - $4::interval,"
                    " now() - nullif($5, '')::interval) RETURNING id",
                    scenario, version, status, created_ago, finished_ago)[0]
                  .as<std::string>();
    tx.exec_params("INSERT INTO node_runs (run_id, node_id, idempotency_key) SELECT $1, 'n' || g, 'k' || g"
                   " FROM generate_series(1, 2) g",
                   id);
    tx.exec_params("INSERT INTO run_logs (run_id, level, message) SELECT $1, 'info', 'line ' || g"
                   " FROM generate_series(1, 3) g",
                   id);
    tx.commit();
    return id;
}

void retention_db::add_finished_runs(int n, const std::string& ago) {
    for (int i = 0; i < n; ++i) add_run(i % 2 ? "succeeded" : "failed", ago, ago);
}

} // namespace sr::test
