#include "db/prepared_sql.hpp"

#include <cstdint>

#include <fmt/format.h>

namespace sr::host {

namespace {

// FNV-1a, 64 bits: stable across runs and builds (std::hash is not required to be), so the
// names seen in pg_prepared_statements stay the same from one start to the next.
std::uint64_t fnv1a(const std::string& text) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

} // namespace

void prefer_index_plans(pqxx::transaction_base& tx) {
    // SET LOCAL: the settings end with the transaction, whatever way it ends.
    tx.exec("SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off");
}

prepared_sql::prepared_sql(std::string sql) : sql_(std::move(sql)), name_(fmt::format("sr_{:016x}", fnv1a(sql_))) {}

} // namespace sr::host
