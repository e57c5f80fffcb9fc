#pragma once
// scenarioctl's subcommands. Each lives in its own `<name>_command.cpp` and registers itself
// with a static `command_registration`, so adding a command touches no shared file.
#include <stdexcept>
#include <string>
#include <vector>

namespace sr::ctl {

// A subcommand gets the whole argument list (args[0] is its name) and returns the exit code:
// 0 ok, 1 failure, 2 usage.
using command_fn = int (*)(const std::vector<std::string>& args);

struct command_registration {
    // `name` is one word ("runs"), or two ("runs prune") for a subcommand registered apart
    // from the file of its command; the two-word one is tried first. `usage` is one or more lines for the help text, each starting with the command name.
    command_registration(const char* name, command_fn fn, const char* usage);
};

// Thrown by a command's argument parsing; the command prints it with its usage and exits 2.
struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Runs the subcommand named by args[0]; returns its exit code.
int dispatch(const std::vector<std::string>& args);

} // namespace sr::ctl
