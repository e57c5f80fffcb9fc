#include "store/run_retention.hpp"

#include <algorithm>

#include <pqxx/pqxx>

#include "store/detail/sql_text.hpp"

namespace sr::host {

std::size_t delete_runs_before(pqxx::transaction_base& tx, std::string_view cutoff_iso, std::size_t batch) {
    auto cutoff = detail::normalize_timestamp(cutoff_iso);
    if (!cutoff) throw store_error("invalid_input", "the cutoff is not an ISO 8601 time");
    if (batch == 0) throw store_error("invalid_input", "the batch size must be at least 1");
    batch = std::min<std::size_t>(batch, 100'000);
    // SKIP LOCKED: a run a worker still holds is left for a later pass instead of waiting on it.
    auto r = tx.exec_params(
        "DELETE FROM runs WHERE id IN ("
        " SELECT id FROM runs WHERE created_at < $1::timestamptz"
        " AND status IN ('succeeded', 'failed', 'cancelled', 'incomplete')"
        " ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)",
        *cutoff, static_cast<int64_t>(batch));
    return static_cast<std::size_t>(r.affected_rows());
}

} // namespace sr::host
