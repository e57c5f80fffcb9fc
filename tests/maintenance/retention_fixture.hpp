#pragma once
// A migrated database with one published scenario and direct inserts of run rows of any age
// and status, for the retention tests.
#include <string>

#include "store_fixture.hpp"

namespace sr::test {

struct retention_db {
    store_db s;
    std::string org = s.create_org("acme");
    std::string scenario = s.published_scenario(org, two_node_graph());
    std::string version;

    retention_db();
    // `finished_ago` / `created_ago` are SQL intervals such as "40 days"; an empty
    // finished_ago leaves finished_at NULL. Each run gets two node runs and three log lines.
    std::string add_run(const std::string& status, const std::string& created_ago, const std::string& finished_ago);
    // Inserts `n` runs finished `ago`, with their node runs and logs, in one statement.
    void add_finished_runs(int n, const std::string& ago);
    int count(const std::string& sql) { return s.count(sql); }
};

} // namespace sr::test
