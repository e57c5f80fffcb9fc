#pragma once
// The SQL migrations of schema/NNNN_name.sql, embedded into the binary at build time.
#include <cstddef>
#include <span>

namespace sr::schema {

struct migration {
    int version;       // NNNN of the file name; versions are unique, starting at 1
    const char* name;  // the rest of the file name without ".sql", e.g. "initial"
    const char* sql;   // the file's text, run as one script inside a transaction
};

// Every embedded migration, ordered by version. Static data, valid for the whole program.
std::span<const migration> migrations() noexcept;

// The highest version this binary knows (0 when there are none).
int newest_version() noexcept;

} // namespace sr::schema
