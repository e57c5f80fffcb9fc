#pragma once
// A migrated test database with organizations, graph builders, and direct inserts of run rows
// (the run queue that writes them belongs to another part).
#include <functional>
#include <string>

#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "test_database.hpp"

namespace sr::test {

struct store_db {
    test_database db;
    pqxx::connection conn{db.conninfo()};
    store_db();

    std::string create_org(const std::string& slug);
    std::string create_user(const std::string& email);
    // A scenario of `org` whose draft is `graph`, published as version 1 (no validator).
    std::string published_scenario(const std::string& org, const boost::json::value& graph);
    int count(const std::string& sql);
};

boost::json::object graph_node(const std::string& id, const std::string& type, boost::json::value settings = boost::json::object());
boost::json::object graph_edge(const std::string& from, const std::string& to);
// trigger (system.manual) -> log (system.log, message `message`).
boost::json::value two_node_graph(const std::string& message = "hello");

// Inserts a run row directly; `created_at` is an SQL expression such as "now() - interval '1 day'".
std::string insert_run(pqxx::transaction_base& tx, const std::string& scenario_id, const std::string& version_id,
                       const std::string& status, const std::string& created_at = "now()");

// The code of the store_error `f` throws, or "no error".
std::string store_error_code(const std::function<void()>& f);

} // namespace sr::test
