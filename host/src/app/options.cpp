#include "app/options.hpp"

#include <charconv>
#include <stdexcept>

#include <fmt/format.h>

#include "runtime/run_log_lines.hpp"

namespace sr::host {

std::string daemon_usage() {
    return "usage: scenariod [--listen HOST:PORT] [--plugins DIR] [--data-dir DIR]\n"
           "                 [--io-threads N] [--db-threads N] [--host-id NAME] [--lease-seconds N]\n"
           "                 [--max-runs N] [--handoff on|off] [--retention-days N]\n"
           "                 [--run-log-level debug|info|warn|error] [--writer-lanes N]\n"
           "  --listen      address to serve HTTP on (default 127.0.0.1:8080)\n"
           "  --plugins     directory of plugin .so files (default: ../plugins beside the binary)\n"
           "  --data-dir    state directory; holds the private PostgreSQL when SR_DATABASE_URL\n"
           "                is not set (default ./.scenario)\n"
           "  --io-threads  threads running HTTP and plugin I/O (default 2)\n"
           "  --db-threads  database connections for background work (default 4)\n"
           "  --host-id     this host's name in run leases (default hostname:pid)\n"
           "  --lease-seconds  how long a claimed run stays this host's without a heartbeat;\n"
           "                a dead host's runs are taken over after it (default 30)\n"
           "  --max-runs    runs executing at once on this host (default 512)\n"
           "  --handoff     on: a webhook delivery's run is stored already leased to this host and\n"
           "                starts here without a claim while there is room; off: every run is\n"
           "                queued for any host to claim (default on)\n"
           "  --retention-days  finished runs (with their node runs and logs) older than this\n"
           "                are deleted in the background; 0 keeps them forever (default 30)\n"
           "  --run-log-level  run log lines below this level are not stored; a node that\n"
           "                succeeded at its first attempt logs at debug, since its node run\n"
           "                record holds the same (default info)\n"
           "  --writer-lanes  transactions storing run progress that may be in flight at once;\n"
           "                a run's writes always go through the same one (default 1)\n"
           "  --rate-limit-api RATE[/BURST]  requests per second per API token on /api/v1 and\n"
           "                /trigger (by client IP without a token); 0 = off (default 100/200)\n"
           "  --rate-limit-webhooks RATE[/BURST]  deliveries per second per webhook endpoint;\n"
           "                0 = off (default off)\n"
           "  --rate-limit-other RATE[/BURST]  requests per second per client IP on the other\n"
           "                routes (/health, /metrics, ...); 0 = off (default 1000/2000)\n"
           "  --trusted-proxies LIST  comma-separated IPs or networks (10.0.0.0/8, ::1) of reverse\n"
           "                proxies whose X-Forwarded-For gives the client IP for rate limits and\n"
           "                the audit log (default: none; the TCP peer is the client)\n"
           "environment: SR_DATABASE_URL  use this PostgreSQL instead of a private one\n";
}

namespace {
bool parse_count(const std::string& text, std::size_t& out, std::size_t max = 256) {
    std::size_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value == 0 || value > max) return false;
    out = value;
    return true;
}

parse_outcome fail(std::string message) {
    return {std::nullopt, 2, std::move(message) + "\n" + daemon_usage()};
}
} // namespace

parse_outcome parse_daemon_options(const std::vector<std::string>& args,
                                   const std::filesystem::path& exe_dir) {
    daemon_options opts;
    opts.plugins_dir = exe_dir / ".." / "plugins";
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--help" || arg == "-h") return {std::nullopt, 0, daemon_usage()};
        if (i + 1 >= args.size()) return fail(fmt::format("scenariod: unknown option or missing value: {}", arg));
        const std::string& value = args[++i];
        if (arg == "--listen") {
            opts.listen = value;
        } else if (arg == "--plugins") {
            opts.plugins_dir = value;
        } else if (arg == "--data-dir") {
            opts.data_dir = value;
        } else if (arg == "--io-threads") {
            if (!parse_count(value, opts.io_threads)) return fail("scenariod: --io-threads takes a number from 1 to 256");
        } else if (arg == "--db-threads") {
            if (!parse_count(value, opts.db_threads)) return fail("scenariod: --db-threads takes a number from 1 to 256");
        } else if (arg == "--host-id") {
            if (value.empty() || value.size() > 200) return fail("scenariod: --host-id takes a name of 1 to 200 characters");
            opts.host_id = value;
        } else if (arg == "--lease-seconds") {
            if (!parse_count(value, opts.lease_seconds, 3600))
                return fail("scenariod: --lease-seconds takes a number from 1 to 3600");
        } else if (arg == "--max-runs") {
            if (!parse_count(value, opts.max_runs, 100'000))
                return fail("scenariod: --max-runs takes a number from 1 to 100000");
        } else if (arg == "--handoff") {
            if (value != "on" && value != "off") return fail("scenariod: --handoff takes on or off");
            opts.handoff = value == "on";
        } else if (arg == "--retention-days") {
            // 0 is allowed here (keep forever), unlike the counts above.
            if (value == "0") opts.retention_days = 0;
            else if (!parse_count(value, opts.retention_days, 36'500))
                return fail("scenariod: --retention-days takes a number of days from 0 (keep forever) to 36500");
        } else if (arg == "--writer-lanes") {
            if (!parse_count(value, opts.writer_lanes, 16))
                return fail("scenariod: --writer-lanes takes a number from 1 to 16");
        } else if (arg == "--run-log-level") {
            if (!parse_log_level(value)) return fail("scenariod: --run-log-level takes debug, info, warn or error");
            opts.run_log_level = value;
        } else if (arg == "--trusted-proxies") {
            try {
                opts.proxies = trusted_proxies::parse(value);
            } catch (const std::invalid_argument& e) {
                return fail(fmt::format("scenariod: --trusted-proxies: {}", e.what()));
            }
        } else if (arg == "--rate-limit-api" || arg == "--rate-limit-webhooks" || arg == "--rate-limit-other") {
            auto limit = parse_rate_limit(value);
            if (!limit) return fail(fmt::format("scenariod: {} takes RATE[/BURST] (e.g. 50 or 50/100; 0 = off)", arg));
            (arg == "--rate-limit-api" ? opts.api_rate_limit
             : arg == "--rate-limit-webhooks" ? opts.webhook_rate_limit : opts.other_rate_limit) = *limit;
        } else {
            return fail(fmt::format("scenariod: unknown option: {}", arg));
        }
    }
    opts.plugins_dir = opts.plugins_dir.lexically_normal();
    return {opts, 0, {}};
}

} // namespace sr::host
