#pragma once
// A migrated database with a published scenario to hang schedules on, and small readers of
// the runs the schedules created.
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "test_database.hpp"

namespace sr::test {

class trigger_database {
public:
    trigger_database(); // migrates; one organization
    const std::string& conninfo() const { return db_.conninfo(); }
    pqxx::connection& conn() { return conn_; }

    // An active scenario with a published version 1; `pause_policy` "queue" or "reject".
    std::string create_scenario(const std::string& name = "scheduled");
    void set_status(const std::string& scenario_id, const std::string& status, const std::string& pause_policy = "queue");

    // Inserts a schedules row due at `next_fire_at_sql` (an SQL expression, e.g. "now() - interval '1 hour'").
    std::string add_schedule(const std::string& scenario_id, const std::string& node_id, const std::string& cron,
                             const std::string& next_fire_at_sql, const std::string& catch_up = "skip",
                             const std::string& timezone = "UTC", bool active = true);

    // trigger_data->>'scheduled_at' of the schedule's runs, ordered.
    std::vector<std::string> scheduled_slots(const std::string& scenario_id, const std::string& node_id);
    std::string scalar(const std::string& sql); // first column of the first row, "" for NULL

private:
    test_database db_;
    pqxx::connection conn_;
    std::string organization_;
};

} // namespace sr::test
