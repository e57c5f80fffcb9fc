#pragma once
// What happens in the transaction that makes a scenario version current (publish, rollback):
// its webhook trigger nodes get their endpoints, its schedule trigger nodes their schedules and
// its polling trigger nodes their polling rows, atomically with the version itself.
#include <string>

#include <boost/json/value.hpp>
#include <pqxx/transaction_base>

#include "security/vault.hpp"

namespace sr::host {

// Returns the webhook endpoints, [{node_id, url, verification, response_mode}]: the publish
// answer's "webhooks".
boost::json::value activate_version_triggers(pqxx::transaction_base& tx, const vault& keys,
                                             const std::string& scenario_id, const boost::json::value& definition);

} // namespace sr::host
