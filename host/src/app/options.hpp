#pragma once
// Command-line options of scenariod.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "http/trusted_proxies.hpp"
#include "observability/rate_limit.hpp"

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
    bool handoff = true;                        // webhook runs stored here start here, unclaimed
    std::size_t retention_days = 30;            // finished runs older than this are deleted; 0 = never
    std::string run_log_level = "info";         // run log lines below it are not stored
    std::size_t writer_lanes = 1;               // run progress commits in flight at once
    // Per caller and route group (docs/architecture.md, "Operations"); per_second 0 = off.
    rate_limit api_rate_limit{100, 200};       // /api/v1 and /trigger, per API token
    rate_limit webhook_rate_limit{};           // /webhooks/{endpoint}, per endpoint
    rate_limit other_rate_limit{1000, 2000};   // everything else, per client IP
    trusted_proxies proxies;                   // whose X-Forwarded-For names the client IP
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
