#include <cstdio>

#include <fmt/format.h>
#include <pqxx/pqxx>

#include "commands.hpp"
#include "common_options.hpp"
#include "db/migrator.hpp"

namespace sr::ctl {

namespace {

int migrate_command(const std::vector<std::string>& args) {
    common_options opts;
    if (auto err = parse_common(args, opts, false, false)) {
        fmt::print(stderr, "scenarioctl migrate: {}\n", *err);
        return 2;
    }
    try {
        auto db = host::open_database(opts.data_dir);
        pqxx::connection conn(db.conninfo);
        auto report = host::migrate(conn);
        if (report.applied.empty()) {
            fmt::print("schema is up to date at version {}\n", report.to_version);
        } else {
            for (const auto& m : report.applied) fmt::print("applied {}\n", m);
            fmt::print("schema migrated from version {} to {}\n", report.from_version, report.to_version);
        }
        return 0;
    } catch (const std::exception& e) {
        fmt::print(stderr, "scenarioctl migrate: {}\n", e.what());
        return 1;
    }
}

const command_registration migrate_registration{"migrate", migrate_command,
                                           "migrate [--data-dir DIR]   apply the schema migrations"};

} // namespace

} // namespace sr::ctl
