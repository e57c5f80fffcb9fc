#pragma once
// The audit trail: one row per mutation (who, what, which resource, when, from where), written
// in the mutation's own transaction so the two commit or roll back together.
#include <string_view>

#include <boost/json/value.hpp>
#include <pqxx/transaction_base>

#include "auth/principal.hpp"

namespace sr::host {

// `ip` that is not a valid address (or "") is stored as NULL; `user_agent` "" as NULL;
// `details` null as {}. Returns the row id.
long long write_audit(pqxx::transaction_base& tx, const principal& who, std::string_view action,
                      std::string_view resource_type, std::string_view resource_id,
                      const boost::json::value& details, std::string_view ip, std::string_view user_agent);

} // namespace sr::host
