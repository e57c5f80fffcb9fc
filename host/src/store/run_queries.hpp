#pragma once
// The read side of run records: a page of runs with filters (newest first, keyset pagination on
// (created_at, id) so each page is an index range scan), and one run with its node runs and logs.
// Scoped by organization through scenarios.organization_id.
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <pqxx/transaction_base>

#include "store/store_error.hpp"

namespace sr::host {

struct run_filter {
    std::string scenario_id, status;
    std::string from, to; // ISO times or "": from <= created_at < to
    int limit = 50;       // clamped to 1..500
    std::string cursor;   // opaque, from the previous page
};

struct run_page {
    boost::json::array runs;
    std::string next_cursor; // "" at the end
};

// Throws store_error{"invalid_input"} for a malformed scenario id, status, time or cursor.
run_page list_runs(pqxx::transaction_base& tx, std::string_view org_id, const run_filter& filter);

// The plan PostgreSQL chooses for list_runs with these arguments (EXPLAIN), for tests and
// diagnostics: a page should be an index range scan, never a scan of all runs plus a sort.
std::string explain_list_runs(pqxx::transaction_base& tx, std::string_view org_id, const run_filter& filter);

// The run (with trigger_data) plus "nodes": node runs in execution order and "logs": run logs
// in the order written. nullopt when absent or in another organization.
std::optional<boost::json::object> find_run(pqxx::transaction_base& tx, std::string_view org_id,
                                            std::string_view run_id);

} // namespace sr::host
