#pragma once
// A private PostgreSQL server for one data directory: initialized the first time, started on a
// unix socket only (no TCP), reused when already running, stopped by the last of our processes
// that uses it.
//
// Layout under <data_dir>/pg (the "pg dir"): data/ (the cluster), the socket .s.PGSQL.5432,
// server.log (the server's own log), pg_cluster.log (output of initdb and pg_ctl), and two lock
// files: start.lock serializes start and stop between our processes, users.lock is held shared
// by every process using the server, so stop() only stops it when no other process of ours
// still uses it (scenarioctl next to a running scenariod must not take its database away).
//
// As root, initdb and postgres refuse to run: they run as the `postgres` OS user through
// runuser (created if missing), which owns the pg dir; parent directories it cannot traverse
// get the search bit only, and that is logged.
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sr::host {

namespace detail {
class file_lock;
}

// A failure to initialize, start or stop the cluster; the message names the directory and
// carries the tail of the relevant log.
class pg_cluster_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class pg_cluster {
public:
    static constexpr int port = 5432;  // only names the socket file: there is no TCP listener

    struct options {
        // false for throwaway clusters (tests): fsync, synchronous_commit and full_page_writes
        // off, initdb --no-sync. Never for a cluster that holds anything of value.
        bool durable = true;
        std::chrono::seconds start_timeout{60};
        // Receives notable events (initialized, started, reused, stale pid file removed,
        // permissions granted). Default: a line on stderr.
        std::function<void(std::string_view)> log;
    };

    // Nothing happens until start(). `data_dir` may be relative; it is made absolute.
    explicit pg_cluster(const std::filesystem::path& data_dir);
    pg_cluster(const std::filesystem::path& data_dir, options opts);
    ~pg_cluster();  // stop(); a failure there is logged, not thrown
    pg_cluster(const pg_cluster&) = delete;
    pg_cluster& operator=(const pg_cluster&) = delete;

    // initdb (first time), then start the server, or reuse one already running on this
    // directory (started by another process of ours, or left behind by one that crashed).
    // A stale postmaster.pid of a dead server is removed. Idempotent. Throws pg_cluster_error.
    void start();

    // Stops the server (pg_ctl -m fast -w stop) unless another process of ours still uses it.
    // Idempotent; does nothing when start() was not called. Throws pg_cluster_error.
    void stop();

    bool started() const noexcept { return users_ != nullptr; }
    bool reused() const noexcept { return reused_; }  // start() found a server running
    bool running() const;                             // pg_ctl status: a server runs on data()

    // libpq conninfo for `dbname` on this cluster, as the current OS user.
    std::string conninfo(std::string_view dbname = "postgres") const;

    const std::filesystem::path& dir() const noexcept { return dir_; }  // <data_dir>/pg
    std::filesystem::path data() const { return dir_ / "data"; }
    std::filesystem::path log_file() const { return dir_ / "pg_cluster.log"; }
    std::filesystem::path server_log_file() const { return dir_ / "server.log"; }

private:
    void log(std::string_view message) const;
    [[noreturn]] void fail(std::string_view what) const;
    void check_paths() const;
    void prepare_directory();
    std::filesystem::path resolve_bin_dir() const;  // empty when none fits
    void choose_bin_dir();
    void initdb_if_needed();
    void write_settings() const;
    bool answers() const;
    bool take_over_running_server();
    void start_server();
    // Runs a server tool (as the postgres user when we are root); output goes to log_file().
    int run_tool(std::string_view tool, std::vector<std::string> args) const;
    int run_tool(const std::filesystem::path& bin_dir, std::string_view tool, std::vector<std::string> args) const;

    std::filesystem::path dir_;
    options opts_;
    std::string os_user_;          // the role we connect as: the current OS user
    bool as_root_ = false;         // tools run as `postgres` through runuser
    std::filesystem::path bin_dir_;
    std::unique_ptr<detail::file_lock> users_;  // held shared while started
    bool reused_ = false;
    mutable std::size_t last_command_offset_ = 0;  // where the last tool's output starts in log_file()
    std::size_t server_log_offset_ = 0;            // where the last start begins in server_log_file()
};

} // namespace sr::host
