#include "commands.hpp"

#include <cstdio>

#include <fmt/format.h>

namespace sr::ctl {

namespace {
const char* usage =
    "usage: scenarioctl <command> [options]\n"
    "commands:\n"
    "  migrate [--data-dir DIR]                      apply the schema migrations\n"
    "  seed [--plugins DIR] [--force] [--data-dir DIR]\n"
    "                                                register every plugin's manifest\n"
    "Without SR_DATABASE_URL, a private PostgreSQL under --data-dir (default ./.scenario) is\n"
    "started for the command and stopped after it (unless scenariod is using it).\n";
}

int dispatch(const std::vector<std::string>& args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::fputs(usage, args.empty() ? stderr : stdout);
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "migrate") return migrate_command(args);
    if (args[0] == "seed") return seed_command(args);
    fmt::print(stderr, "scenarioctl: unknown command '{}'\n{}", args[0], usage);
    return 2;
}

} // namespace sr::ctl
