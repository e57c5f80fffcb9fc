#pragma once
// Running the PostgreSQL tools (initdb, pg_ctl, useradd) as child processes without a shell.
#include <filesystem>
#include <string>
#include <vector>

namespace sr::host::detail {

// Runs argv[0] (looked up in PATH when it has no '/') with argv, stdin from /dev/null and
// stdout+stderr appended to `log_file`, in directory `cwd`, no other descriptor inherited.
// Waits for it and returns its exit status (128 + signal when killed). Throws std::system_error
// when it cannot be started.
int run_process(const std::vector<std::string>& argv, const std::filesystem::path& log_file,
                const std::filesystem::path& cwd);

// The path of a system tool such as runuser or useradd: found in the sbin and bin directories
// even when PATH lacks them (root's sbin tools are often missing from a service's PATH);
// the bare name (for a PATH lookup) when not found there.
std::string system_tool(const std::string& name);

// The last `max_bytes` of a text file at or after byte `from` (from a line start where
// possible), "" when unreadable.
std::string file_tail(const std::filesystem::path& file, std::size_t max_bytes = 2000, std::size_t from = 0);

} // namespace sr::host::detail
