#pragma once
// Shared setup for the db tests: a migrated database, a scenario to hang rows on, EXPLAIN.
#include <string>

#include <pqxx/pqxx>

namespace sr::test {

// Ids of an organization with one scenario and its version 1 (one node "n1").
struct scenario_ids {
    std::string organization, scenario, version;
};

// Applies the embedded migrations to `conn`.
void migrate_schema(pqxx::connection& conn);

// Creates an organization named `slug`, a scenario and its first version.
scenario_ids create_scenario(pqxx::connection& conn, const std::string& slug);

// The text of EXPLAIN for `query`, lines joined by '\n'.
std::string explain(pqxx::connection& conn, const std::string& query);

} // namespace sr::test
