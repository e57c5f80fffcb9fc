// scenarioctl runs prune: the retention pass scenariod runs on its timer, on demand. Deletes
// finished runs (with their node runs and logs) that finished more than DAYS ago, a batch per
// short transaction; skips when another host is pruning (the same advisory lock).
#include <charconv>
#include <cstdio>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <pqxx/pqxx>

#include "commands.hpp"
#include "common_options.hpp"
#include "db/migrator.hpp"
#include "maintenance/run_pruner.hpp"

namespace sr::ctl {

namespace {

namespace json = boost::json;

struct prune_args {
    host::prune_options prune;
    common_options common;
};

std::size_t parse_number(const std::string& text, const char* option, std::size_t min, std::size_t max) {
    std::size_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max)
        throw usage_error(fmt::format("{} takes a number from {} to {}", option, min, max));
    return value;
}

prune_args parse_prune(const std::vector<std::string>& args) {
    prune_args out;
    bool have_age = false;
    std::vector<std::string> common{args[0]};
    for (std::size_t i = 2; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (i + 1 >= args.size()) throw usage_error("unknown option or missing value: " + a);
        const std::string& v = args[++i];
        if (a == "--older-than") {
            out.prune.older_than = std::chrono::hours(24) * parse_number(v, "--older-than", 0, 36'500);
            have_age = true;
        } else if (a == "--batch") {
            out.prune.batch = parse_number(v, "--batch", 1, 100'000);
        } else {
            common.push_back(a);
            common.push_back(v);
        }
    }
    if (auto err = parse_common(common, out.common, false, false)) throw usage_error(*err);
    if (!have_age) throw usage_error("--older-than DAYS is required");
    return out;
}

int prune(const prune_args& a) {
    auto db = host::open_database(a.common.data_dir);
    pqxx::connection conn(db.conninfo);
    host::migrate(conn);
    auto report = host::prune_runs(conn, a.prune);
    json::object out{{"skipped", report.skipped}, {"deleted", report.deleted}, {"batches", report.batches}};
    if (report.skipped) out["message"] = "another host is pruning runs now; nothing was done";
    else out["cutoff"] = report.cutoff;
    fmt::print("{}\n", json::serialize(out));
    return 0;
}

int runs_prune_command(const std::vector<std::string>& args) {
    try {
        return prune(parse_prune(args));
    } catch (const usage_error& e) {
        fmt::print(stderr, "scenarioctl runs prune: {}\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        fmt::print(stderr, "scenarioctl runs prune: {}\n", e.what());
        return 1;
    }
}

const command_registration runs_prune_registration{
    "runs prune", runs_prune_command,
    "runs prune --older-than DAYS [--batch N]\n"
    "    delete finished runs (and their node runs and logs) that finished more than DAYS ago,\n"
    "    N per transaction (default 500); skipped while another host prunes; prints JSON"};

} // namespace

} // namespace sr::ctl
