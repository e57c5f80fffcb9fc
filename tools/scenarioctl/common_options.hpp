#pragma once
// Options every scenarioctl subcommand understands, and the database they lead to.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace sr::ctl {

struct common_options {
    std::filesystem::path data_dir = ".scenario";
    std::filesystem::path plugins_dir; // default: ../plugins beside the executable
    bool force = false;
};

// Parses --data-dir, --plugins and --force; anything else is an error message.
std::optional<std::string> parse_common(const std::vector<std::string>& args, common_options& out,
                                        bool allow_plugins, bool allow_force);

std::filesystem::path default_plugins_dir();

} // namespace sr::ctl
