#include "db/db_pool.hpp"

#include "test_database.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <set>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

namespace {

using namespace std::chrono_literals;

int backend_pid(pqxx::connection& conn) {
    pqxx::nontransaction tx(conn);
    return tx.exec("SELECT pg_backend_pid()")[0][0].as<int>();
}

} // namespace

TEST_CASE("db_pool runs posted jobs on its threads' own connections") {
    sr::test::test_database db;
    sr::host::db_pool pool(db.conninfo(), 2);
    CHECK(pool.size() == 2);
    std::vector<std::future<int>> results;
    for (int i = 0; i < 20; ++i) {
        auto promise = std::make_shared<std::promise<int>>();
        results.push_back(promise->get_future());
        pool.post([promise](pqxx::connection& conn) { promise->set_value(backend_pid(conn)); },
                  [promise](std::exception_ptr e) { promise->set_exception(e); });
    }
    std::set<int> pids;
    for (auto& r : results) {
        REQUIRE(r.wait_for(10s) == std::future_status::ready);
        pids.insert(r.get());
    }
    CHECK(!pids.empty());
    CHECK(pids.size() <= 2);
}

TEST_CASE("db_pool ping succeeds while the database is reachable") {
    sr::test::test_database db;
    sr::host::db_pool pool(db.conninfo(), 1);
    CHECK(pool.ping());
}

TEST_CASE("db_pool ping returns false quickly for an unreachable database") {
    sr::host::db_pool pool("host=/tmp/sr-no-such-socket-dir port=5432 dbname=postgres", 1);
    auto start = std::chrono::steady_clock::now();
    CHECK_FALSE(pool.ping(1s));
    CHECK(std::chrono::steady_clock::now() - start < 2s);
}

TEST_CASE("db_pool reports a job that cannot connect to its error handler") {
    sr::host::db_pool pool("host=/tmp/sr-no-such-socket-dir port=5432 dbname=postgres", 1);
    std::promise<std::string> failed;
    pool.post([](pqxx::connection&) {},
              [&failed](std::exception_ptr e) {
                  try {
                      std::rethrow_exception(e);
                  } catch (const pqxx::broken_connection& b) {
                      failed.set_value("broken_connection");
                  } catch (...) {
                      failed.set_value("other");
                  }
              });
    auto f = failed.get_future();
    REQUIRE(f.wait_for(10s) == std::future_status::ready);
    CHECK(f.get() == "broken_connection");
}

TEST_CASE("a job that throws reaches its error handler and the pool keeps working") {
    sr::test::test_database db;
    sr::host::db_pool pool(db.conninfo(), 1);
    std::promise<std::string> error;
    pool.post([](pqxx::connection& conn) {
                  pqxx::work tx(conn);
                  tx.exec("SELECT * FROM no_such_table");
              },
              [&error](std::exception_ptr e) {
                  try {
                      std::rethrow_exception(e);
                  } catch (const pqxx::sql_error& s) {
                      error.set_value(s.sqlstate());
                  } catch (...) {
                      error.set_value("other");
                  }
              });
    std::promise<int> next;
    pool.post([&next](pqxx::connection& conn) { next.set_value(backend_pid(conn)); });
    auto e = error.get_future();
    auto n = next.get_future();
    REQUIRE(e.wait_for(10s) == std::future_status::ready);
    CHECK(e.get() == "42P01");
    REQUIRE(n.wait_for(10s) == std::future_status::ready);
    CHECK(n.get() > 0);
}

TEST_CASE("a connection the server dropped is replaced before the next job") {
    sr::test::test_database db;
    sr::host::db_pool pool(db.conninfo(), 1);
    std::promise<int> first;
    pool.post([&first](pqxx::connection& conn) { first.set_value(backend_pid(conn)); });
    auto first_pid = first.get_future();
    REQUIRE(first_pid.wait_for(10s) == std::future_status::ready);
    const int old_pid = first_pid.get();
    {
        pqxx::connection admin(db.conninfo());
        pqxx::nontransaction tx(admin);
        tx.exec_params("SELECT pg_terminate_backend($1)", old_pid);
    }
    std::promise<bool> failed;
    pool.post([&failed](pqxx::connection& conn) {
                  backend_pid(conn);
                  failed.set_value(false);
              },
              [&failed](std::exception_ptr) { failed.set_value(true); });
    std::promise<int> third;
    pool.post([&third](pqxx::connection& conn) { third.set_value(backend_pid(conn)); });
    auto f = failed.get_future();
    auto t = third.get_future();
    REQUIRE(f.wait_for(10s) == std::future_status::ready);
    CHECK(f.get());
    REQUIRE(t.wait_for(10s) == std::future_status::ready);
    auto new_pid = t.get();
    CHECK(new_pid > 0);
    CHECK(new_pid != old_pid);
}

TEST_CASE("destroying the pool runs every job already posted") {
    sr::test::test_database db;
    std::atomic<int> done{0};
    {
        sr::host::db_pool pool(db.conninfo(), 2);
        for (int i = 0; i < 50; ++i) {
            pool.post([&done](pqxx::connection& conn) {
                pqxx::nontransaction tx(conn);
                tx.exec("SELECT 1");
                ++done;
            });
        }
    }
    CHECK(done == 50);
}
