#pragma once
// A version made current from the command line (publish, rollback, upgrade --publish) gets its
// triggers exactly as through the API: webhook endpoints, schedules and polling rows, in the
// caller's transaction, with webhook secrets sealed by the same vault scenariod uses.
#include <filesystem>
#include <string>

#include <boost/json/value.hpp>
#include <pqxx/transaction_base>

namespace sr::ctl {

// Returns the webhook endpoints ([{node_id, url, verification, response_mode}]).
boost::json::value activate_triggers(pqxx::transaction_base& tx, const std::filesystem::path& data_dir,
                                     const std::string& scenario_id, const boost::json::value& definition);

} // namespace sr::ctl
