// prepared_sql: one statement prepared once per connection, by a name that depends on its text.
#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "db/prepared_sql.hpp"
#include "test_database.hpp"

using sr::host::prepared_sql;

namespace {
int prepared_count(pqxx::connection& conn, const std::string& name) {
    pqxx::work tx(conn);
    return tx.exec_params1("SELECT count(*) FROM pg_prepared_statements WHERE name = $1", name)[0].as<int>();
}
} // namespace

TEST_CASE("a prepared statement's name follows its text, and one text shares one name") {
    prepared_sql a{"SELECT 1"}, same{"SELECT 1"}, other{"SELECT 2"};
    CHECK(a.name() == same.name());
    CHECK(a.name() != other.name());
    CHECK(a.name().rfind("sr_", 0) == 0);
    CHECK(a.sql() == "SELECT 1");
}

TEST_CASE("a prepared statement is prepared once per connection and runs with parameters on each") {
    sr::test::test_database db;
    const prepared_sql add{"SELECT $1::int + $2::int"};
    pqxx::connection first(db.conninfo());
    for (int i = 0; i < 3; ++i) {
        pqxx::work tx(first);
        CHECK(add.exec(tx, i, 10)[0][0].as<int>() == i + 10);
        tx.commit();
    }
    CHECK(prepared_count(first, add.name()) == 1);
    // A new connection (as after a reconnect) prepares it again on first use.
    pqxx::connection second(db.conninfo());
    CHECK(prepared_count(second, add.name()) == 0);
    pqxx::work tx(second);
    CHECK(add.exec(tx, 1, 2)[0][0].as<int>() == 3);
}

TEST_CASE("a prepared statement stays usable after its transaction failed and after its table changed") {
    sr::test::test_database db;
    pqxx::connection conn(db.conninfo());
    {
        pqxx::work tx(conn);
        tx.exec("CREATE TABLE t (id int PRIMARY KEY, name text)");
        tx.exec("INSERT INTO t VALUES (1, 'one')");
        tx.commit();
    }
    const prepared_sql name_of{"SELECT name FROM t WHERE id = $1"};
    {
        pqxx::work tx(conn);
        CHECK(name_of.exec(tx, 1)[0][0].as<std::string>() == "one");
        CHECK_THROWS_AS(tx.exec("SELECT 1/0"), pqxx::sql_error); // the transaction aborts
    }
    {
        // A migration that adds a column: PostgreSQL replans the statement by itself.
        pqxx::work tx(conn);
        tx.exec("ALTER TABLE t ADD COLUMN extra int");
        tx.exec("UPDATE t SET name = 'uno'");
        tx.commit();
    }
    pqxx::work tx(conn);
    CHECK(name_of.exec(tx, 1)[0][0].as<std::string>() == "uno");
    CHECK(name_of.exec(tx, 2).empty());
}
