#pragma once
// Retention of run records: removes old finished runs (with their node runs and logs) a batch
// at a time, so no statement holds many row locks or runs long.
#include <cstddef>
#include <string_view>

#include <pqxx/transaction_base>

#include "store/store_error.hpp"

namespace sr::host {

// Deletes at most `batch` runs created before `cutoff_iso` whose status is final (succeeded,
// failed, cancelled, incomplete), skipping rows another transaction holds locked; returns how
// many. Call it repeatedly, each call in its own short transaction, until it returns < batch.
// invalid_input for a malformed cutoff or a batch of 0.
std::size_t delete_runs_before(pqxx::transaction_base& tx, std::string_view cutoff_iso, std::size_t batch);

} // namespace sr::host
