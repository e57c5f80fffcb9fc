#pragma once
// Brings a database's schema up to the migrations embedded in this binary (schema/NNNN_*.sql).
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "sr/schema/migrations.hpp"

namespace sr::host {

struct migrate_report {
    int from_version = 0;              // recorded before (0: empty database)
    int to_version = 0;                // recorded after
    std::vector<std::string> applied;  // "0001_initial", ... in the order applied here
};

// The database records a migration newer than any this binary knows: running against it
// could corrupt data, so nothing is done.
class schema_too_new : public std::runtime_error {
public:
    schema_too_new(int database_version, int known_version);
    int database_version() const noexcept { return database_version_; }
    int known_version() const noexcept { return known_version_; }

private:
    int database_version_;
    int known_version_;
};

// Creates schema_migrations when missing, then applies every embedded migration newer than
// the recorded version, each in its own transaction, recording it there. Safe when several
// processes migrate at once (each transaction holds an advisory lock and re-reads the recorded
// version); a second run is a no-op. Throws schema_too_new (changing nothing), or
// std::runtime_error naming the migration that failed (earlier ones stay applied).
migrate_report migrate(pqxx::connection& conn);

// The same with an explicit, version-ordered list (tests).
migrate_report migrate(pqxx::connection& conn, std::span<const schema::migration> migrations);

} // namespace sr::host
