#include "test_database.hpp"

#include <atomic>
#include <cstdlib>
#include <random>

#include <fmt/format.h>
#include <pqxx/pqxx>

namespace sr::test {

std::string test_cluster_conninfo() {
    if (const char* env = std::getenv("SR_TEST_PG"); env && *env) return env;
    return SR_TEST_PG_DEFAULT;
}

namespace {
std::string unique_name() {
    static std::atomic<unsigned> counter{0};
    std::random_device rd;
    return fmt::format("t_{:08x}_{}_{}", rd(), static_cast<unsigned>(::getpid()), counter++);
}

std::string with_dbname(const std::string& conninfo, const std::string& db) {
    // A later keyword wins in a libpq conninfo string.
    return conninfo + " dbname=" + db;
}
} // namespace

test_database::test_database() : name_(unique_name()) {
    pqxx::connection admin(test_cluster_conninfo());
    pqxx::nontransaction tx(admin);
    tx.exec("CREATE DATABASE " + name_);
    conninfo_ = with_dbname(test_cluster_conninfo(), name_);
}

test_database::~test_database() {
    try {
        pqxx::connection admin(test_cluster_conninfo());
        pqxx::nontransaction tx(admin);
        tx.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
        // The cluster is thrown away at the end of the run anyway.
    }
}

} // namespace sr::test
