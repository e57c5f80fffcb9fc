#include "commands.hpp"

#include <algorithm>
#include <cstdio>
#include <string_view>

#include <fmt/format.h>

namespace sr::ctl {

namespace {

struct command_entry {
    const char* name;
    command_fn fn;
    const char* usage;
};

// A function-local static: registrations run during static initialisation of other files,
// in an unspecified order, so the table must exist before the first of them.
std::vector<command_entry>& table() {
    static std::vector<command_entry> commands;
    return commands;
}

std::string usage_text() {
    auto commands = table();
    std::sort(commands.begin(), commands.end(),
              [](const command_entry& a, const command_entry& b) { return std::string_view(a.name) < b.name; });
    std::string text = "usage: scenarioctl <command> [options]\ncommands:\n";
    for (const auto& c : commands) {
        std::string_view lines = c.usage;
        while (!lines.empty()) {
            auto end = lines.find('\n');
            text += "  ";
            text += lines.substr(0, end);
            text += '\n';
            lines = end == std::string_view::npos ? std::string_view{} : lines.substr(end + 1);
        }
    }
    text += "Without SR_DATABASE_URL, a private PostgreSQL under --data-dir (default ./.scenario) is\n"
            "started for the command and stopped after it (unless scenariod is using it).\n";
    return text;
}

} // namespace

command_registration::command_registration(const char* name, command_fn fn, const char* usage) {
    table().push_back({name, fn, usage});
}

int dispatch(const std::vector<std::string>& args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::fputs(usage_text().c_str(), args.empty() ? stderr : stdout);
        return args.empty() ? 2 : 0;
    }
    // A two-word registration ("scenario upgrade") adds a subcommand to a command that lives
    // in another file without touching it; it wins over the one-word command.
    if (args.size() >= 2) {
        const std::string both = args[0] + " " + args[1];
        for (const auto& c : table())
            if (both == c.name) return c.fn(args);
    }
    for (const auto& c : table())
        if (args[0] == c.name) return c.fn(args);
    fmt::print(stderr, "scenarioctl: unknown command '{}'\n{}", args[0], usage_text());
    return 2;
}

} // namespace sr::ctl
