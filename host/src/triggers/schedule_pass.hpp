#pragma once
// One pass over the due schedules, in ONE transaction: lock the due rows (FOR UPDATE SKIP
// LOCKED, so concurrent hosts split the rows instead of waiting or double-firing), enqueue the
// runs the catch-up policy asks for, and move next_fire_at/last_fired_at forward. A slot's run
// and the schedule's advance commit together, so a slot fires exactly once across any number of
// hosts; the idempotency key "schedule:<id>:<slot>" on the run is the second guard.
//
// Times come from PostgreSQL's clock (now()), never the host's, so hosts with skewed clocks
// agree on what is due. Runs on a db_pool thread (blocking).
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "sr/core/schedule/fire_times.hpp"

namespace sr::host {

struct schedule_pass_options {
    std::size_t batch = 100; // rows locked per pass
    std::chrono::seconds grace = core::schedule::default_grace;
};

struct schedule_problem {
    std::string schedule_id;
    std::string message; // why the schedule was parked or a slot refused; never a secret
};

struct schedule_pass_report {
    std::size_t schedules = 0;      // due rows this pass locked and handled
    std::size_t runs_created = 0;
    std::size_t runs_existing = 0;  // the idempotency key had been used already
    std::size_t slots_refused = 0;  // enqueue refused (scenario paused with "reject", gone, ...)
    std::vector<schedule_problem> problems;
    bool batch_full = false;        // more rows may be due right now
    // Until the earliest active next_fire_at (from the database's clock); nullopt when none.
    std::optional<std::chrono::milliseconds> next_due_in;
};

// A schedule whose cron, time zone or catch-up policy is invalid (or that can never fire
// again) is reported and parked with next_fire_at = NULL, so it neither blocks the others nor
// is reported every second; publishing a version with valid settings re-arms it. A database
// failure throws (pqxx) and commits nothing: the rows stay due for the next pass.
schedule_pass_report run_schedule_pass(pqxx::connection& conn, const schedule_pass_options& options = {});

// "schedule:<schedule id>:<slot as YYYY-MM-DDTHH:MM:SSZ>"
std::string schedule_idempotency_key(const std::string& schedule_id, std::chrono::sys_seconds slot);
std::string iso_utc(std::chrono::sys_seconds instant);

} // namespace sr::host
