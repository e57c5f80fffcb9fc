#include "db/pg_cluster.hpp"

#include "test_paths.hpp"

#include <fstream>
#include <mutex>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

// Collects what the cluster logs, for tests that check a notable action was reported.
struct log_capture {
    std::mutex mutex;
    std::vector<std::string> lines;

    sr::host::pg_cluster::options options() {
        sr::host::pg_cluster::options opts;
        opts.durable = false;
        opts.log = [this](std::string_view line) {
            std::lock_guard lock(mutex);
            lines.emplace_back(line);
        };
        return opts;
    }
    bool contains(std::string_view text) {
        std::lock_guard lock(mutex);
        for (const auto& l : lines)
            if (l.find(text) != std::string::npos) return true;
        return false;
    }
};

std::string scalar(const std::string& conninfo, const std::string& sql) {
    pqxx::connection conn(conninfo);
    pqxx::nontransaction tx(conn);
    return tx.exec(sql)[0][0].as<std::string>();
}

long server_pid(const sr::host::pg_cluster& cluster) {
    std::ifstream in(cluster.data() / "postmaster.pid");
    long pid = 0;
    in >> pid;
    return pid;
}

uid_t uid_of_process(long pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string key;
    while (in >> key) {
        if (key == "Uid:") {
            uid_t uid = 0;
            in >> uid;
            return uid;
        }
        std::string rest;
        std::getline(in, rest);
    }
    return static_cast<uid_t>(-1);
}

} // namespace

TEST_CASE("a private cluster starts in an empty directory on a unix socket only, and stops") {
    log_capture log;
    auto dir = sr::test::temp_dir("pgc");
    sr::host::pg_cluster cluster(dir, log.options());
    cluster.start();
    CHECK(cluster.started());
    CHECK_FALSE(cluster.reused());
    CHECK(cluster.running());
    CHECK(scalar(cluster.conninfo(), "SELECT 1") == "1");
    CHECK(scalar(cluster.conninfo(), "SHOW listen_addresses").empty());
    CHECK(scalar(cluster.conninfo(), "SHOW unix_socket_directories") == cluster.dir().string());
    CHECK(fs::exists(cluster.dir() / ".s.PGSQL.5432"));
    CHECK(log.contains("initialized a new PostgreSQL cluster"));
    cluster.stop();
    CHECK_FALSE(cluster.started());
    CHECK_FALSE(cluster.running());
}

TEST_CASE("starting a private cluster again reuses its initialized data") {
    log_capture log;
    auto dir = sr::test::temp_dir("pgc");
    {
        sr::host::pg_cluster first(dir, log.options());
        first.start();
        pqxx::connection conn(first.conninfo());
        pqxx::work tx(conn);
        tx.exec("CREATE TABLE kept (x integer)");
        tx.exec("INSERT INTO kept VALUES (42)");
        tx.commit();
    }  // the destructor stops it
    sr::host::pg_cluster second(dir, log.options());
    CHECK_FALSE(second.running());
    second.start();
    CHECK_FALSE(second.reused());
    CHECK(scalar(second.conninfo(), "SELECT x FROM kept") == "42");
    second.stop();
    CHECK_FALSE(second.running());
}

TEST_CASE("start is idempotent and a second user of a running cluster reuses it without stopping it for the first") {
    log_capture log;
    auto dir = sr::test::temp_dir("pgc");
    sr::host::pg_cluster first(dir, log.options());
    first.start();
    first.start();
    CHECK_FALSE(first.reused());
    sr::host::pg_cluster second(dir, log.options());
    second.start();
    CHECK(second.reused());
    CHECK(log.contains("reusing the PostgreSQL server"));
    second.stop();
    CHECK(first.running());
    CHECK(scalar(first.conninfo(), "SELECT 1") == "1");
    first.stop();
    CHECK_FALSE(first.running());
}

TEST_CASE("a server left running by a process that died is reused and stopped by the next owner") {
    auto dir = sr::test::temp_dir("pgc");
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // Dies without stopping, as a crashed scenariod would.
        try {
            sr::host::pg_cluster::options opts;
            opts.durable = false;
            opts.log = [](std::string_view) {};
            sr::host::pg_cluster orphan(dir, opts);
            orphan.start();
            ::_exit(0);
        } catch (...) {
            ::_exit(1);
        }
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    log_capture log;
    sr::host::pg_cluster next(dir, log.options());
    CHECK(next.running());
    next.start();
    CHECK(next.reused());
    next.stop();
    CHECK_FALSE(next.running());
}

TEST_CASE("a stale postmaster.pid naming a live process that is not our server is removed and the cluster starts") {
    log_capture log;
    auto dir = sr::test::temp_dir("pgc");
    sr::host::pg_cluster cluster(dir, log.options());
    cluster.start();
    std::string data_line;
    {
        std::ifstream in(cluster.data() / "postmaster.pid");
        std::getline(in, data_line);  // the pid
        std::getline(in, data_line);  // the data directory
    }
    cluster.stop();
    REQUIRE_FALSE(fs::exists(cluster.data() / "postmaster.pid"));
    // After a container restart the old pid often belongs to another live process; postgres
    // itself refuses to start then. This test process stands in for it.
    {
        std::ofstream out(cluster.data() / "postmaster.pid");
        out << ::getpid() << "\n" << data_line << "\n";
    }
    cluster.start();
    CHECK_FALSE(cluster.reused());
    CHECK(log.contains("removed the stale postmaster.pid"));
    CHECK(scalar(cluster.conninfo(), "SELECT 1") == "1");
    cluster.stop();
    CHECK_FALSE(cluster.running());
}

TEST_CASE("a stale postmaster.pid of a server that is gone is removed and the cluster starts") {
    log_capture log;
    auto dir = sr::test::temp_dir("pgc");
    sr::host::pg_cluster cluster(dir, log.options());
    cluster.start();
    cluster.stop();
    pid_t dead = ::fork();
    REQUIRE(dead >= 0);
    if (dead == 0) ::_exit(0);
    ::waitpid(dead, nullptr, 0);
    {
        std::ofstream out(cluster.data() / "postmaster.pid");
        out << dead << "\n" << cluster.data().string() << "\n";
    }
    cluster.start();
    CHECK(log.contains("removed the stale postmaster.pid"));
    CHECK(scalar(cluster.conninfo(), "SELECT 1") == "1");
    cluster.stop();
    CHECK_FALSE(cluster.running());
}

TEST_CASE("a data directory whose socket path exceeds the unix limit is refused with a clear message") {
    auto dir = fs::path("/tmp") / std::string(110, 'x');
    sr::host::pg_cluster cluster(dir);
    CHECK_THROWS_WITH(cluster.start(), Catch::Contains("107-byte limit") && Catch::Contains("shorter data directory"));
    CHECK_FALSE(fs::exists(dir));
}

TEST_CASE("the server runs as an unprivileged user, the postgres user when we are root") {
    log_capture log;
    auto dir = sr::test::temp_dir("pgc");
    sr::host::pg_cluster cluster(dir, log.options());
    cluster.start();
    auto pid = server_pid(cluster);
    REQUIRE(pid > 0);
    auto uid = uid_of_process(pid);
    CHECK(uid != 0);
    if (::geteuid() == 0) {
        struct passwd* pw = ::getpwnam("postgres");
        REQUIRE(pw != nullptr);
        CHECK(uid == pw->pw_uid);
        struct stat st {};
        REQUIRE(::stat(cluster.dir().c_str(), &st) == 0);
        CHECK(st.st_uid == pw->pw_uid);
    } else {
        CHECK(uid == ::geteuid());
    }
    // Our process connects as itself (initdb -U <current user>).
    CHECK(scalar(cluster.conninfo(), "SELECT current_user") == scalar(cluster.conninfo(), "SELECT session_user"));
    cluster.stop();
}

TEST_CASE("as root, a parent directory the postgres user cannot traverse gets the search bit only, and it is logged") {
    REQUIRE(::geteuid() == 0);  // this behaviour exists only for root; the project's test runs are root
    log_capture log;
    auto locked = sr::test::temp_dir("pgc");
    REQUIRE(::chmod(locked.c_str(), 0700) == 0);
    sr::host::pg_cluster cluster(locked / "d", log.options());
    cluster.start();
    struct stat st {};
    REQUIRE(::stat(locked.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0701);
    CHECK(log.contains("granted the search permission (o+x"));
    CHECK(scalar(cluster.conninfo(), "SELECT 1") == "1");
    cluster.stop();
    CHECK_FALSE(cluster.running());
}

TEST_CASE("a server that cannot start is reported with the tail of its log") {
    log_capture log;
    auto dir = sr::test::temp_dir("pgc");
    sr::host::pg_cluster cluster(dir, log.options());
    cluster.start();
    cluster.stop();
    {
        std::ofstream conf(cluster.data() / "postgresql.conf", std::ios::app);
        conf << "not_a_real_setting = 1\n";
    }
    CHECK_THROWS_WITH(cluster.start(), Catch::Contains("pg_ctl start failed") && Catch::Contains("not_a_real_setting") &&
                                           Catch::Contains(dir.string()));
    CHECK_FALSE(cluster.started());
    CHECK_FALSE(cluster.running());
}
