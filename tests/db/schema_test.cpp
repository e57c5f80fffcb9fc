// The schema's own guarantees (constraints, cascades) and that the hot queries use indexes.
#include "db_fixtures.hpp"
#include "test_database.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <pqxx/pqxx>

#include <set>
#include <string>

namespace {

struct schema_db {
    sr::test::test_database db;
    pqxx::connection conn{db.conninfo()};
    schema_db() { sr::test::migrate_schema(conn); }

    // Runs `sql` in its own transaction and returns the SQLSTATE it failed with ("" if none).
    std::string sqlstate_of(const std::string& sql) {
        try {
            pqxx::work tx(conn);
            tx.exec(sql);
            tx.commit();
            return "";
        } catch (const pqxx::sql_error& e) {
            return e.sqlstate();
        }
    }
    int count(const std::string& sql) {
        pqxx::work tx(conn);
        return tx.exec(sql)[0][0].as<int>();
    }
    void exec(const std::string& sql) {
        pqxx::work tx(conn);
        tx.exec(sql);
        tx.commit();
    }
};

constexpr const char* check_violation = "23514";
constexpr const char* unique_violation = "23505";
constexpr const char* foreign_key_violation = "23503";

std::string insert_run(const sr::test::scenario_ids& ids, const std::string& status, const std::string& extra_cols = "",
                       const std::string& extra_vals = "") {
    return fmt::format("INSERT INTO runs (scenario_id, version_id, status, trigger_kind, correlation_id{}) "
                       "VALUES ('{}', '{}', '{}', 'manual', 'c'{})",
                       extra_cols, ids.scenario, ids.version, status, extra_vals);
}

} // namespace

TEST_CASE("status and enum columns refuse values outside their CHECK lists") {
    schema_db s;
    auto ids = sr::test::create_scenario(s.conn, "acme");
    CHECK(s.sqlstate_of(insert_run(ids, "succeeded")).empty());
    CHECK(s.sqlstate_of(insert_run(ids, "done")) == check_violation);
    CHECK(s.sqlstate_of(fmt::format("UPDATE scenarios SET status = 'deleted' WHERE id = '{}'", ids.scenario)) ==
          check_violation);
    CHECK(s.sqlstate_of("INSERT INTO users (email) VALUES ('a@example.com')").empty());
    CHECK(s.sqlstate_of(fmt::format("INSERT INTO organization_members (organization_id, user_id, role) "
                                    "SELECT '{}', id, 'superuser' FROM users", ids.organization)) == check_violation);
}

TEST_CASE("only one version of an integration can carry the latest flag") {
    schema_db s;
    s.exec("INSERT INTO integrations (manifest_id, name) VALUES ('alpha', 'Alpha')");
    const std::string insert = "INSERT INTO integration_versions (integration_id, version, major, minor, patch, manifest,"
                               " is_latest, abi_major, abi_minor, sha256, file) SELECT id, '{}', {}, 0, 0, '{{}}', true,"
                               " 1, 0, repeat('a', 64), 'f.so' FROM integrations";
    CHECK(s.sqlstate_of(fmt::format(fmt::runtime(insert), "1.0.0", 1)).empty());
    CHECK(s.sqlstate_of(fmt::format(fmt::runtime(insert), "2.0.0", 2)) == unique_violation);
}

TEST_CASE("an idempotency key identifies one run per scenario") {
    schema_db s;
    auto a = sr::test::create_scenario(s.conn, "acme");
    auto b = sr::test::create_scenario(s.conn, "other");
    CHECK(s.sqlstate_of(insert_run(a, "queued", ", idempotency_key", ", 'k1'")).empty());
    CHECK(s.sqlstate_of(insert_run(a, "queued", ", idempotency_key", ", 'k1'")) == unique_violation);
    CHECK(s.sqlstate_of(insert_run(b, "queued", ", idempotency_key", ", 'k1'")).empty());
    CHECK(s.sqlstate_of(insert_run(a, "queued")).empty());
    CHECK(s.sqlstate_of(insert_run(a, "queued")).empty());
}

TEST_CASE("an edge may only join nodes of its own scenario version") {
    schema_db s;
    auto ids = sr::test::create_scenario(s.conn, "acme");
    const std::string edge = "INSERT INTO scenario_edges (version_id, scenario_id, edge_id, source_node_id,"
                             " target_node_id, kind) VALUES ('{}', '{}', '{}', 'n1', '{}', 'success')";
    CHECK(s.sqlstate_of(fmt::format(fmt::runtime(edge), ids.version, ids.scenario, "e1", "ghost")) ==
          foreign_key_violation);
    s.exec(fmt::format("INSERT INTO scenario_nodes (version_id, scenario_id, node_id, type, plugin_id, plugin_major)"
                       " VALUES ('{}', '{}', 'n2', 'action', 'system', 1)", ids.version, ids.scenario));
    CHECK(s.sqlstate_of(fmt::format(fmt::runtime(edge), ids.version, ids.scenario, "e1", "n2")).empty());
    CHECK(s.sqlstate_of(fmt::format(fmt::runtime(edge), ids.version, ids.scenario, "e2", "n1")) == check_violation);
}

TEST_CASE("a scenario's current version cannot be deleted from under it") {
    schema_db s;
    auto ids = sr::test::create_scenario(s.conn, "acme");
    CHECK(s.sqlstate_of(fmt::format("DELETE FROM scenario_versions WHERE id = '{}'", ids.version)) ==
          foreign_key_violation);
}

TEST_CASE("deleting an organization removes its scenarios, versions, graph, runs and their records") {
    schema_db s;
    auto ids = sr::test::create_scenario(s.conn, "acme");
    auto keep = sr::test::create_scenario(s.conn, "other");
    s.exec(insert_run(ids, "succeeded"));
    s.exec(insert_run(keep, "succeeded"));
    s.exec("INSERT INTO node_runs (run_id, node_id, idempotency_key) SELECT id, 'n1', 'k' FROM runs");
    s.exec("INSERT INTO run_logs (run_id, level, message) SELECT id, 'info', 'hello' FROM runs");
    s.exec(fmt::format("INSERT INTO audit_logs (organization_id, action, resource_type) VALUES ('{}', 'create', 'scenario')",
                       ids.organization));
    s.exec(fmt::format("DELETE FROM organizations WHERE id = '{}'", ids.organization));
    CHECK(s.count("SELECT count(*) FROM scenarios") == 1);
    CHECK(s.count("SELECT count(*) FROM scenario_versions") == 1);
    CHECK(s.count("SELECT count(*) FROM scenario_nodes") == 1);
    CHECK(s.count("SELECT count(*) FROM runs") == 1);
    CHECK(s.count("SELECT count(*) FROM node_runs") == 1);
    CHECK(s.count("SELECT count(*) FROM run_logs") == 1);
    // The audit trail outlives what it describes.
    CHECK(s.count("SELECT count(*) FROM audit_logs WHERE organization_id IS NULL") == 1);
}

TEST_CASE("updated_at follows every update") {
    schema_db s;
    auto ids = sr::test::create_scenario(s.conn, "acme");
    s.exec("UPDATE scenarios SET created_at = created_at - interval '1 day', updated_at = updated_at - interval '1 day'");
    s.exec("UPDATE scenarios SET name = 'renamed'");
    CHECK(s.count("SELECT count(*) FROM scenarios WHERE updated_at > created_at + interval '23 hours'") == 1);
}

// ---- The hot queries use their indexes (on realistic volumes, after ANALYZE) ----

namespace {

// 200 scenarios with 100 runs each (20,000 runs, mostly finished, a few queued or running),
// inserted in time order across scenarios as a live system writes them; 4 node runs and 3 log
// lines for each of 5,000 runs; 10 webhook endpoints per scenario.
struct loaded_db : schema_db {
    std::vector<std::string> scenarios;
    std::string some_run;

    loaded_db() {
        exec(R"(
            INSERT INTO organizations (name, slug) SELECT 'org' || n, 'org' || n FROM generate_series(1, 200) n;
            INSERT INTO scenarios (organization_id, name) SELECT id, 'scenario' FROM organizations;
            INSERT INTO scenario_versions (scenario_id, number, definition) SELECT id, 1, '{}' FROM scenarios;
            UPDATE scenarios s SET current_version_id = v.id FROM scenario_versions v WHERE v.scenario_id = s.id;
            INSERT INTO runs (scenario_id, version_id, status, trigger_kind, correlation_id, created_at, available_at,
                              lease_owner, lease_expires_at)
            SELECT s.id, s.current_version_id,
                   CASE WHEN g % 100 = 0 THEN 'queued' WHEN g % 100 = 1 THEN 'running'
                        WHEN g % 10 = 2 THEN 'failed' ELSE 'succeeded' END,
                   'webhook', md5(s.id::text || g),
                   now() - (100 - g) * interval '1 minute' - s.n * interval '1 ms',
                   now() - (100 - g) * interval '1 minute',
                   CASE WHEN g % 100 = 1 THEN 'host-a' END,
                   CASE WHEN g % 100 = 1 THEN now() + interval '30 seconds' END
            FROM generate_series(1, 100) g,
                 (SELECT id, current_version_id, row_number() OVER () AS n FROM scenarios) s
            ORDER BY g, s.n;
            INSERT INTO node_runs (run_id, node_id, status, idempotency_key, attempt)
            SELECT r.id, 'n' || n, 'succeeded', md5(r.id::text || n), 1 FROM (SELECT id FROM runs LIMIT 5000) r,
                   generate_series(1, 4) n;
            INSERT INTO run_logs (run_id, node_id, level, message)
            SELECT r.id, 'n1', 'info', 'line ' || n FROM (SELECT id FROM runs LIMIT 5000) r, generate_series(1, 3) n;
            INSERT INTO webhook_endpoints (public_id, scenario_id, node_id, verification)
            SELECT 'ep_' || md5(s.id::text || n), s.id, 'trigger' || n, 'none'
            FROM scenarios s, generate_series(1, 10) n;
            ANALYZE;)");
        pqxx::work tx(conn);
        for (const auto& row : tx.exec("SELECT id FROM scenarios ORDER BY id")) scenarios.push_back(row[0].as<std::string>());
        tx.commit();
        some_run = scalar("SELECT run_id FROM node_runs LIMIT 1");
    }
    std::string scalar(const std::string& sql) {
        pqxx::work tx(conn);
        return tx.exec(sql)[0][0].as<std::string>();
    }
};

void check_uses(const std::string& plan, const std::string& index) {
    INFO(plan);
    CHECK(plan.find(index) != std::string::npos);
    CHECK(plan.find("Seq Scan") == std::string::npos);
}

} // namespace

TEST_CASE("the hot queries are served by their indexes, not sequential scans") {
    loaded_db s;
    REQUIRE(s.count("SELECT count(*) FROM runs") == 20000);
    const auto& scenario = s.scenarios[3];

    // A scenario's runs by status, newest first.
    {
        check_uses(sr::test::explain(s.conn, fmt::format("SELECT id, status, created_at FROM runs WHERE scenario_id = '{}'"
                                                         " AND status = 'failed' ORDER BY created_at DESC, id DESC LIMIT 50",
                                                         scenario)),
                   "runs_scenario_status_created_idx");
    }
    // A scenario's runs of any status, newest first, from a cursor.
    {
        check_uses(sr::test::explain(s.conn, fmt::format("SELECT id, status FROM runs WHERE scenario_id = '{}'"
                                                         " AND (created_at, id) < (now() - interval '1 hour', 'ffffffff-ffff-ffff-ffff-ffffffffffff')"
                                                         " ORDER BY created_at DESC, id DESC LIMIT 50",
                                                         scenario)),
                   "runs_scenario_created_idx");
    }
    // Claiming queued runs.
    {
        check_uses(sr::test::explain(s.conn, "SELECT id FROM runs WHERE status = 'queued' AND available_at <= now()"
                                             " ORDER BY available_at LIMIT 10 FOR UPDATE SKIP LOCKED"),
                   "runs_queued_idx");
    }
    // Finding expired leases.
    {
        check_uses(sr::test::explain(s.conn, "SELECT id FROM runs WHERE status = 'running' AND lease_expires_at < now()"
                                             " LIMIT 10 FOR UPDATE SKIP LOCKED"),
                   "runs_lease_idx");
    }
    // The node runs of a run.
    {
        check_uses(sr::test::explain(s.conn, fmt::format("SELECT * FROM node_runs WHERE run_id = '{}'", s.some_run)),
                   "node_runs_run_node_attempt_key");
    }
    // The logs of a run, in order.
    {
        check_uses(sr::test::explain(s.conn, fmt::format("SELECT * FROM run_logs WHERE run_id = '{}' ORDER BY id", s.some_run)),
                   "run_logs_run_idx");
    }
    // A webhook endpoint by its public id.
    {
        auto public_id = s.scalar("SELECT public_id FROM webhook_endpoints LIMIT 1");
        check_uses(sr::test::explain(s.conn, fmt::format("SELECT * FROM webhook_endpoints WHERE public_id = '{}'", public_id)),
                   "webhook_endpoints_public_id_key");
    }
}

// Each index of `runs` is written at the insert and again at every status change (no update of
// a run is HOT), so every one must serve a query; this list changes only with a migration.
TEST_CASE("runs carries only the indexes its queries use") {
    schema_db s;
    pqxx::work tx(s.conn);
    std::set<std::string> names;
    for (const auto& row : tx.exec("SELECT indexname FROM pg_indexes WHERE tablename = 'runs'"))
        names.insert(row[0].as<std::string>());
    CHECK(names == std::set<std::string>{"runs_pkey", "runs_scenario_created_idx", "runs_scenario_status_created_idx",
                                         "runs_queued_idx", "runs_waiting_idx", "runs_lease_idx", "runs_created_idx",
                                         "runs_idempotency_key", "runs_finished_idx"});
}
