#include "db/database.hpp"

#include <cstdlib>

#include <fmt/format.h>
#include <pqxx/pqxx>

namespace sr::host {
namespace {

// Two processes may race to create it: the loser's duplicate_database error means done.
void create_database_if_missing(const std::string& maintenance_conninfo, const std::string& name) {
    pqxx::connection conn(maintenance_conninfo);
    pqxx::nontransaction tx(conn);
    if (!tx.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", name).empty()) return;
    try {
        tx.exec("CREATE DATABASE " + tx.quote_name(name));
    } catch (const pqxx::sql_error& e) {
        if (e.sqlstate() != "42P04") throw;  // duplicate_database
    }
}

} // namespace

database_handle open_database(const std::filesystem::path& data_dir) {
    return open_database(data_dir, pg_cluster::options{});
}

database_handle open_database(const std::filesystem::path& data_dir, pg_cluster::options opts) {
    if (const char* url = std::getenv("SR_DATABASE_URL"); url && *url) return {url, nullptr};
    auto cluster = std::make_unique<pg_cluster>(data_dir, std::move(opts));
    cluster->start();
    try {
        create_database_if_missing(cluster->conninfo("postgres"), private_database_name);
    } catch (const std::exception& e) {
        throw pg_cluster_error(fmt::format("PostgreSQL in {}: cannot create the database '{}': {}",
                                           cluster->dir().string(), private_database_name, e.what()));
    }
    std::string conninfo = cluster->conninfo(private_database_name);
    return {std::move(conninfo), std::move(cluster)};
}

} // namespace sr::host
