#include "db/migrator.hpp"

#include <fmt/format.h>
#include <pqxx/pqxx>

namespace sr::host {
namespace {

// pg_advisory_xact_lock key shared by every migrating process ("SR_MIGR").
constexpr long long migrate_lock_key = 0x53525f4d494752LL;

void lock(pqxx::work& tx) {
    tx.exec_params("SELECT pg_advisory_xact_lock($1)", migrate_lock_key);
}

int recorded_version(pqxx::work& tx) {
    return tx.exec("SELECT coalesce(max(version), 0) FROM schema_migrations")[0][0].as<int>();
}

void check_not_too_new(int recorded, int known) {
    if (recorded > known) throw schema_too_new(recorded, known);
}

void check_ordered(std::span<const schema::migration> migrations) {
    for (std::size_t i = 1; i < migrations.size(); ++i) {
        if (migrations[i].version <= migrations[i - 1].version)
            throw std::logic_error("migrate: migrations must be in strictly increasing version order");
    }
}

std::string label(const schema::migration& m) {
    return fmt::format("{:04}_{}", m.version, m.name);
}

// Creates schema_migrations under the lock (CREATE TABLE IF NOT EXISTS alone races between
// two sessions) and returns the recorded version.
int prepare(pqxx::connection& conn, int known) {
    pqxx::work tx(conn, "sr_migrate_prepare");
    lock(tx);
    if (tx.exec("SELECT to_regclass('schema_migrations') IS NULL")[0][0].as<bool>()) {
        tx.exec("CREATE TABLE schema_migrations ("
                " version integer PRIMARY KEY CHECK (version > 0),"
                " name text NOT NULL,"
                " applied_at timestamptz NOT NULL DEFAULT now())");
    }
    int recorded = recorded_version(tx);
    check_not_too_new(recorded, known);
    tx.commit();
    return recorded;
}

// Applies `m` unless another process did meanwhile; true when applied here.
bool apply(pqxx::connection& conn, const schema::migration& m, int known) {
    pqxx::work tx(conn, "sr_migrate");
    lock(tx);
    int recorded = recorded_version(tx);
    check_not_too_new(recorded, known);
    if (recorded >= m.version) return false;
    try {
        tx.exec(m.sql);
    } catch (const pqxx::sql_error& e) {
        throw std::runtime_error(fmt::format("migration {} failed: {}", label(m), e.what()));
    }
    tx.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version, std::string(m.name));
    tx.commit();
    return true;
}

} // namespace

schema_too_new::schema_too_new(int database_version, int known_version)
    : std::runtime_error(fmt::format("database schema is at version {} but this scenariod knows only up to {}; "
                                     "upgrade scenariod",
                                     database_version, known_version)),
      database_version_(database_version), known_version_(known_version) {}

migrate_report migrate(pqxx::connection& conn) {
    return migrate(conn, schema::migrations());
}

migrate_report migrate(pqxx::connection& conn, std::span<const schema::migration> migrations) {
    check_ordered(migrations);
    const int known = migrations.empty() ? 0 : migrations.back().version;
    migrate_report report;
    report.from_version = prepare(conn, known);
    for (const auto& m : migrations) {
        if (m.version <= report.from_version) continue;
        if (apply(conn, m, known)) report.applied.push_back(label(m));
    }
    pqxx::work tx(conn, "sr_migrate_report");
    report.to_version = recorded_version(tx);
    tx.commit();
    return report;
}

} // namespace sr::host
