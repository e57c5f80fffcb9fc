#pragma once
// A fresh, empty PostgreSQL database per test, in the throwaway cluster that the `pg` CTest
// fixture starts (tools/testing/test_cluster.sh). Dropped when the object goes away.
#include <string>

namespace sr::test {

// libpq conninfo of the test cluster's maintenance database ("postgres"). SR_TEST_PG in the
// environment overrides the build's default.
std::string test_cluster_conninfo();

class test_database {
public:
    test_database();  // CREATE DATABASE with a unique name; fails the test when unreachable
    ~test_database(); // DROP DATABASE ... WITH (FORCE)
    test_database(const test_database&) = delete;
    test_database& operator=(const test_database&) = delete;

    const std::string& name() const { return name_; }
    const std::string& conninfo() const { return conninfo_; }

private:
    std::string name_;
    std::string conninfo_;
};

} // namespace sr::test
