#pragma once
// Is the database there? SELECT 1 on a fresh connection, the whole exchange (connect included)
// bounded by `timeout`. False when unreachable, refusing, or too slow. Never throws.
#include <chrono>
#include <string>

namespace sr::host {

bool ping_database(const std::string& conninfo, std::chrono::milliseconds timeout) noexcept;

} // namespace sr::host
