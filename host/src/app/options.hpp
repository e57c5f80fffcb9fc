#pragma once
// Command-line options of scenariod.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sr::host {

struct daemon_options {
    std::string listen = "127.0.0.1:8080";
    std::filesystem::path plugins_dir;          // default: <exe dir>/../plugins
    std::filesystem::path data_dir = ".scenario";
    std::size_t io_threads = 2;
    std::size_t db_threads = 4;
    std::string host_id;                        // lease owner name; default: hostname:pid
    std::size_t lease_seconds = 30;             // a dead host's runs are taken over after this
    std::size_t max_runs = 512;                 // runs executing at once on this host
};

struct parse_outcome {
    std::optional<daemon_options> options; // empty: exit with `exit_code` after printing `message`
    int exit_code = 0;
    std::string message;
};

// Parses argv (without argv[0]); `exe_dir` is where the executable lives.
parse_outcome parse_daemon_options(const std::vector<std::string>& args,
                                   const std::filesystem::path& exe_dir);

std::string daemon_usage();

} // namespace sr::host
