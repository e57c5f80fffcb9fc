// scenarioctl runs list: the run records of an organization or one scenario, newest first, as
// JSON ({"runs": [...], "next_cursor": "..."}), one page at a time.
#include <cstdio>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <pqxx/pqxx>

#include "commands.hpp"
#include "common_options.hpp"
#include "db/migrator.hpp"
#include "runtime/run_queue.hpp"
#include "store/store.hpp"

namespace sr::ctl {

namespace {

namespace json = boost::json;

struct list_options {
    std::string org;
    host::run_filter filter;
    common_options common;
};

list_options parse_list(const std::vector<std::string>& args) {
    list_options out;
    std::vector<std::string> common{args[0]};
    for (std::size_t i = 2; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (i + 1 >= args.size()) throw usage_error("unknown option or missing value: " + a);
        const std::string& v = args[++i];
        if (a == "--org") out.org = v;
        else if (a == "--scenario") out.filter.scenario_id = v;
        else if (a == "--status") out.filter.status = v;
        else if (a == "--from") out.filter.from = v;
        else if (a == "--to") out.filter.to = v;
        else if (a == "--cursor") out.filter.cursor = v;
        else if (a == "--limit") {
            try {
                out.filter.limit = std::stoi(v);
            } catch (const std::exception&) {
                throw usage_error("--limit must be a number");
            }
        } else {
            common.push_back(a);
            common.push_back(v);
        }
    }
    if (auto err = parse_common(common, out.common, false, false)) throw usage_error(*err);
    if (out.org.empty() && out.filter.scenario_id.empty()) throw usage_error("--org or --scenario is required");
    return out;
}

int list_runs(const list_options& o) {
    auto db = host::open_database(o.common.data_dir);
    pqxx::connection conn(db.conninfo);
    host::migrate(conn);
    pqxx::read_transaction tx(conn);
    std::optional<std::string> org;
    if (!o.org.empty()) {
        org = host::find_organization_id(tx, o.org);
        if (!org) throw host::store_error("not_found", fmt::format("organization {} not found", o.org));
    } else {
        org = host::find_scenario_organization(tx, o.filter.scenario_id);
        if (!org) throw host::store_error("not_found", fmt::format("scenario {} not found", o.filter.scenario_id));
    }
    auto page = host::list_runs(tx, *org, o.filter);
    json::object out{{"runs", std::move(page.runs)},
                     {"next_cursor", page.next_cursor.empty() ? json::value(nullptr) : json::value(page.next_cursor)}};
    fmt::print("{}\n", json::serialize(out));
    return 0;
}

// runs retry RUN [--settings FILE]: continues a failed or incomplete run; the running hosts
// pick it up (NOTIFY) and replay what had succeeded.
int retry(const std::vector<std::string>& args) {
    if (args.size() < 3) throw usage_error("runs retry needs a run id");
    std::string settings_file;
    std::vector<std::string> common{args[0]};
    for (std::size_t i = 3; i < args.size(); ++i) {
        if (i + 1 >= args.size()) throw usage_error("unknown option or missing value: " + args[i]);
        if (args[i] == "--settings") settings_file = args[++i];
        else {
            common.push_back(args[i]);
            common.push_back(args[++i]);
        }
    }
    common_options opts;
    if (auto err = parse_common(common, opts, false, false)) throw usage_error(*err);
    json::value settings = nullptr;
    if (!settings_file.empty()) {
        std::FILE* f = std::fopen(settings_file.c_str(), "rb");
        if (!f) throw usage_error("cannot read " + settings_file);
        std::string text;
        char buf[4096];
        for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
        std::fclose(f);
        boost::system::error_code ec;
        settings = json::parse(text, ec);
        if (ec) throw usage_error(settings_file + " is not JSON: " + ec.message());
    }
    auto db = host::open_database(opts.data_dir);
    pqxx::connection conn(db.conninfo);
    host::migrate(conn);
    pqxx::work tx(conn);
    host::retry_run(tx, args[2], settings);
    tx.commit();
    fmt::print("{}\n", json::serialize(json::object{{"run_id", args[2]}, {"status", "queued"}}));
    return 0;
}

int runs_command(const std::vector<std::string>& args) {
    try {
        if (args.size() >= 2 && args[1] == "retry") return retry(args);
        if (args.size() < 2 || args[1] != "list") throw usage_error("expected 'runs list' or 'runs retry'");
        return list_runs(parse_list(args));
    } catch (const usage_error& e) {
        fmt::print(stderr, "scenarioctl runs: {}\n", e.what());
        return 2;
    } catch (const host::store_error& e) {
        fmt::print("{}\n", json::serialize(json::object{{"error", e.code}, {"message", e.what()}}));
        return 1;
    } catch (const std::exception& e) {
        fmt::print(stderr, "scenarioctl runs: {}\n", e.what());
        return 1;
    }
}

const command_registration runs_list_registration{
    "runs", runs_command,
    "runs list (--org ORG | --scenario S) [--status X] [--from T] [--to T] [--limit N] [--cursor C]\n"
    "    run records newest first, as JSON with the cursor of the next page\n"
    "runs retry RUN [--settings FILE]\n"
    "    continue a failed or incomplete run from its failed node; FILE: {\"<node id>\": settings}"};

} // namespace

} // namespace sr::ctl
