#pragma once
// Claiming runs: a host takes queued runs, waiting runs whose time has come and running runs
// whose lease expired (their host died), all under FOR UPDATE SKIP LOCKED so hosts never
// block each other or take the same run. A claim is a lease; the heartbeat renews every
// lease a host holds in one statement.
#include <cstdint>
#include <string>
#include <vector>

#include <boost/json/value.hpp>
#include <pqxx/transaction_base>

#include "sr/core/engine/run_machine.hpp"

namespace sr::host {

// A result an earlier execution of the run stored: replayed instead of calling the node again.
struct journal_entry {
    std::string path;  // node path: "<node id>" or "<node id>#<item path>"
    uint32_t attempt = 1;
    core::engine::node_result result;
};

struct claimed_run {
    std::string run_id, scenario_id, version_id, organization_id;
    std::string trigger_kind, correlation_id;
    boost::json::value trigger_data;
    boost::json::value node_overrides; // null, or {"<node id>": settings} for a retry
    uint32_t attempt = 1;
    bool cancel_requested = false;
    std::vector<journal_entry> journal;
};

// Claims up to `limit` runs for `owner` with a lease of `lease_ms`, with their journals.
std::vector<claimed_run> claim_runs(pqxx::transaction_base& tx, const std::string& owner, int64_t lease_ms,
                                    int limit);

struct lease_report {
    std::vector<std::string> held;             // runs whose lease was renewed
    std::vector<std::string> cancel_requested; // of those, the ones asked to stop
};

// Renews the leases of the runs `owner` is executing (`active`); a run still leased to it but
// no longer executed here (its last write failed) has its lease expired at once, so any host
// takes it over (its attempt goes up). Locks rows in id order, like the run writer.
lease_report renew_leases(pqxx::transaction_base& tx, const std::string& owner, int64_t lease_ms,
                          const std::vector<std::string>& active);

// Gives runs back to the queue at once (graceful drain): another host may take them now.
void release_runs(pqxx::transaction_base& tx, const std::string& owner, const std::vector<std::string>& run_ids);

// The definitions of versions, by id.
std::vector<std::pair<std::string, boost::json::value>> load_versions(pqxx::transaction_base& tx,
                                                                      const std::vector<std::string>& version_ids);

} // namespace sr::host
