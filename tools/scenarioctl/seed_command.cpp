#include <cstdio>

#include <boost/asio/io_context.hpp>
#include <fmt/format.h>
#include <pqxx/pqxx>

#include "commands.hpp"
#include "common_options.hpp"
#include "db/migrator.hpp"
#include "db/seeder.hpp"
#include "plugins/plugin_loader.hpp"
#include "services/host_services.hpp"
#include "services/json_log.hpp"

namespace sr::ctl {

namespace {

int seed_command(const std::vector<std::string>& args) {
    common_options opts;
    if (auto err = parse_common(args, opts, true, true)) {
        fmt::print(stderr, "scenarioctl seed: {}\n", *err);
        return 2;
    }
    try {
        auto db = host::open_database(opts.data_dir);
        pqxx::connection conn(db.conninfo);
        host::migrate(conn);

        // Refusals are printed below in plain text; the loader's own log lines would repeat them.
        boost::asio::io_context ioc;
        host::json_log log(SR_LOG_ERROR, [](std::string_view) {});
        host::host_services services(ioc, log, nullptr);
        auto registry = host::load_plugins(opts.plugins_dir, services);
        auto report = host::seed_plugins(conn, registry.records(), opts.force);

        std::size_t errors = report.errors.size() + registry.refused().size();
        fmt::print("seeded {}, updated {}, skipped {}, errors {}\n", report.seeded, report.updated, report.skipped,
                   errors);
        for (const auto& r : registry.refused()) fmt::print("error: refused {}\n", r.reason);
        for (const auto& e : report.errors) fmt::print("error: {}\n", e);
        return errors == 0 ? 0 : 1;
    } catch (const std::exception& e) {
        fmt::print(stderr, "scenarioctl seed: {}\n", e.what());
        return 1;
    }
}

const command_registration seed_registration{"seed", seed_command,
                                           "seed [--plugins DIR] [--force] [--data-dir DIR]\n    register every plugin's manifest"};

} // namespace

} // namespace sr::ctl
