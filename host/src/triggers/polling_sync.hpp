#pragma once
// Keeps polling_triggers in step with the version that became current: one row per trigger
// node whose plugin declares it a polling trigger (its registered manifest says so), with the
// poll interval from the node's settings (`poll_interval_s`) or the manifest's
// `poll_interval_s`; rows of nodes the version no longer has are deactivated. Runs in the
// publish transaction.
#include <cstddef>
#include <string>

#include <boost/json/value.hpp>
#include <pqxx/transaction_base>

namespace sr::host {

std::size_t sync_polling_triggers(pqxx::transaction_base& tx, const std::string& scenario_id,
                                  const boost::json::value& version_definition);

} // namespace sr::host
