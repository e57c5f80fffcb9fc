#pragma once
// Where the database is: SR_DATABASE_URL, or the private cluster under the data directory.
#include "db/pg_cluster.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace sr::host {

struct database_handle {
    std::string conninfo;                  // libpq conninfo (key=value or URI)
    std::unique_ptr<pg_cluster> cluster;   // null when SR_DATABASE_URL is used; stops on destruction
};

// The database name used in the private cluster.
inline constexpr const char* private_database_name = "scenario";

// SR_DATABASE_URL set (non-empty) -> that, and nothing is started. Otherwise the private
// cluster under `data_dir` is started (initialized the first time) and the database
// "scenario" created in it if missing. Throws pg_cluster_error or pqxx errors with a clear message.
database_handle open_database(const std::filesystem::path& data_dir);
database_handle open_database(const std::filesystem::path& data_dir, pg_cluster::options opts);

} // namespace sr::host
