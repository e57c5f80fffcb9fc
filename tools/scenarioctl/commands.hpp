#pragma once
// scenarioctl's subcommands.
#include <string>
#include <vector>

namespace sr::ctl {

// Runs the subcommand named by args[0]; returns the exit code (0 ok, 1 failure, 2 usage).
int dispatch(const std::vector<std::string>& args);

int migrate_command(const std::vector<std::string>& args);
int seed_command(const std::vector<std::string>& args);

} // namespace sr::ctl
