#pragma once
// Keeps the schedules rows in step with a scenario's published version, in the publish
// transaction: one active row per schedule trigger node ("system.schedule"), created or
// updated from the node's settings {cron, timezone = "UTC", catch_up = "skip"}; rows of
// nodes the version no longer has are deactivated (kept, so last_fired_at survives a rollback).
//
// A row whose cron and time zone did not change keeps its next_fire_at, so republishing does
// not drop a slot that is about to fire; a changed, new or re-activated row starts at the first
// slot after now.
#include <cstddef>
#include <string>

#include <boost/json/value.hpp>
#include <pqxx/transaction_base>

namespace sr::host {

inline constexpr const char* schedule_trigger_type = "system.schedule";

struct schedule_sync_report {
    std::size_t active = 0;      // schedule nodes in the version (rows created or updated)
    std::size_t deactivated = 0; // rows of nodes the version no longer has
};

// Throws store_error{"validation_failed"} with details [{node_id, field, message}] when a
// schedule node's settings are invalid (bad cron, unknown zone, unknown policy, or an
// expression that never fires); nothing is written then.
schedule_sync_report sync_schedules(pqxx::transaction_base& tx, const std::string& scenario_id,
                                    const boost::json::value& version_definition);

} // namespace sr::host
