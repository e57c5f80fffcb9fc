#include "db/pg_cluster.hpp"

#include "db/conninfo.hpp"
#include "db/detail/file_lock.hpp"
#include "db/detail/process.hpp"
#include "db/detail/server_user.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <libpq-fe.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace sr::host {
namespace fs = std::filesystem;

namespace {

constexpr const char* server_user_name = "postgres";
constexpr const char* settings_file = "scenario.conf";
constexpr const char* settings_include = "include_if_exists = 'scenario.conf'";

std::string read_first_line(const fs::path& file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    return line;
}

// A value quoted for postgresql.conf: single quotes, an embedded quote doubled.
std::string conf_quote(std::string_view value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\'') out.push_back('\'');
        out.push_back(c);
    }
    out.push_back('\'');
    return out;
}

// The installed server binaries: /usr/lib/postgresql/<major>/bin, the newest major when
// `major` is empty. Empty path when none is installed.
fs::path find_bin_dir(const std::string& major) {
    const fs::path root = "/usr/lib/postgresql";
    if (!major.empty()) {
        auto dir = root / major / "bin";
        return fs::exists(dir / "pg_ctl") ? dir : fs::path{};
    }
    std::error_code ec;
    int best = -1;
    fs::path best_dir;
    for (const auto& entry : fs::directory_iterator(root, ec)) {
        const auto name = entry.path().filename().string();
        char* end = nullptr;
        long v = std::strtol(name.c_str(), &end, 10);
        if (end == name.c_str() || *end != '\0') continue;
        if (v > best && fs::exists(entry.path() / "bin" / "pg_ctl")) {
            best = static_cast<int>(v);
            best_dir = entry.path() / "bin";
        }
    }
    return best_dir;
}

// Whether `pid` is a live (not zombie) postgres process whose working directory, when we may
// read it, is `data` (the postmaster chdirs to its data directory). After a crash or a reboot
// the pid in a stale postmaster.pid may belong to an unrelated process.
bool is_live_postmaster(long pid, const fs::path& data) {
    if (pid <= 0) return false;
    std::ifstream in(fmt::format("/proc/{}/stat", pid));
    std::string stat;
    if (!std::getline(in, stat)) return false;
    auto open = stat.find('('), close = stat.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close + 2 >= stat.size()) return false;
    const auto comm = stat.substr(open + 1, close - open - 1);
    const char state = stat[close + 2];
    if (comm != "postgres" || state == 'Z' || state == 'X') return false;
    std::error_code ec;
    auto cwd = fs::read_symlink(fmt::format("/proc/{}/cwd", pid), ec);
    if (ec) return true;  // not ours to inspect: trust the name
    return fs::equivalent(cwd, data, ec) && !ec;
}

long pid_in(const fs::path& pid_file) {
    auto line = read_first_line(pid_file);
    char* end = nullptr;
    long pid = std::strtol(line.c_str(), &end, 10);
    return end == line.c_str() ? 0 : pid;
}

} // namespace

pg_cluster::pg_cluster(const fs::path& data_dir) : pg_cluster(data_dir, options{}) {}

pg_cluster::pg_cluster(const fs::path& data_dir, options opts)
    : dir_((fs::absolute(data_dir) / "pg").lexically_normal()), opts_(std::move(opts)),
      os_user_(detail::current_user_name()), as_root_(::geteuid() == 0) {}

pg_cluster::~pg_cluster() {
    try {
        stop();
    } catch (const std::exception& e) {
        log(e.what());
    }
}

void pg_cluster::log(std::string_view message) const {
    if (opts_.log) opts_.log(message);
    else std::cerr << "pg_cluster: " << message << std::endl;
}

void pg_cluster::fail(std::string_view what) const {
    std::string message = fmt::format("PostgreSQL in {}: {}", dir_.string(), what);
    if (auto tail = detail::file_tail(log_file(), 1500, last_command_offset_); !tail.empty())
        message += fmt::format("\n--- {} (the last command) ---\n{}", log_file().string(), tail);
    if (auto tail = detail::file_tail(server_log_file(), 1500, server_log_offset_); !tail.empty())
        message += fmt::format("\n--- {} (since the last start) ---\n{}", server_log_file().string(), tail);
    throw pg_cluster_error(message);
}

// pg_ctl hands -D and -l to a shell inside double quotes, and a unix socket path has a hard
// limit: refuse what would fail later in an obscure way.
void pg_cluster::check_paths() const {
    const auto dir = dir_.string();
    if (dir.find_first_of("\"\\$`\n") != std::string::npos)
        throw pg_cluster_error(fmt::format("the data directory {} contains a character PostgreSQL's "
                                           "pg_ctl cannot pass through its shell (\" \\ $ ` or newline)", dir));
    const auto socket = (dir_ / fmt::format(".s.PGSQL.{}", port)).string();
    constexpr std::size_t limit = sizeof(sockaddr_un::sun_path) - 1;
    if (socket.size() > limit)
        throw pg_cluster_error(fmt::format("the PostgreSQL socket path {} is {} bytes, over the {}-byte limit "
                                           "of unix sockets; use a shorter data directory", socket, socket.size(), limit));
}

void pg_cluster::prepare_directory() {
    fs::create_directories(dir_);
    if (as_root_) {
        auto user = detail::ensure_system_user(server_user_name, log_file());
        detail::grant_traversal(dir_, user, [this](std::string_view m) { log(m); });
        if (::chown(dir_.c_str(), user.uid, user.gid) != 0)
            fail(fmt::format("cannot give {} to the '{}' user: {}", dir_.string(), user.name, std::strerror(errno)));
    }
    // PostgreSQL wants its socket directory private; the data directory it checks itself.
    if (::chmod(dir_.c_str(), 0700) != 0) fail(fmt::format("cannot chmod 0700: {}", std::strerror(errno)));
}

fs::path pg_cluster::resolve_bin_dir() const {
    if (const char* env = std::getenv("SR_PG_BIN_DIR"); env && *env) return env;
    // An existing cluster must run on the major that created it.
    const auto version_file = data() / "PG_VERSION";
    return find_bin_dir(fs::exists(version_file) ? read_first_line(version_file) : std::string{});
}

void pg_cluster::choose_bin_dir() {
    const auto version_file = data() / "PG_VERSION";
    const auto major = fs::exists(version_file) ? read_first_line(version_file) : std::string{};
    bin_dir_ = resolve_bin_dir();
    if (bin_dir_.empty() && !major.empty())
        fail(fmt::format("the cluster was created by PostgreSQL {} whose server binaries are not installed "
                         "(apt-get install postgresql-{})", major, major));
    if (bin_dir_.empty())
        fail("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql-15)");
}

int pg_cluster::run_tool(std::string_view tool, std::vector<std::string> args) const {
    return run_tool(bin_dir_, tool, std::move(args));
}

int pg_cluster::run_tool(const fs::path& bin_dir, std::string_view tool, std::vector<std::string> args) const {
    std::vector<std::string> argv;
    if (as_root_) argv = {detail::system_tool("runuser"), "-u", server_user_name, "--"};
    argv.push_back((bin_dir / tool).string());
    argv.insert(argv.end(), args.begin(), args.end());
    std::error_code ec;
    auto size = fs::file_size(log_file(), ec);
    last_command_offset_ = ec ? 0 : static_cast<std::size_t>(size);
    try {
        return detail::run_process(argv, log_file(), dir_);
    } catch (const std::system_error& e) {
        fail(fmt::format("cannot run {}: {}", argv.front(), e.what()));
    }
}

void pg_cluster::initdb_if_needed() {
    if (fs::exists(data() / "PG_VERSION")) return;
    // A data directory without PG_VERSION is what an interrupted initdb leaves; initdb
    // refuses a non-empty directory, so clear it.
    std::error_code ec;
    fs::remove_all(data(), ec);
    std::vector<std::string> args = {"-D", data().string(), "-U", os_user_, "-A", "trust", "-E", "UTF8",
                                     "--locale=C.UTF-8"};
    if (!opts_.durable) args.push_back("--no-sync");
    if (int rc = run_tool("initdb", args); rc != 0) fail(fmt::format("initdb failed (exit {})", rc));
    std::ofstream conf(data() / "postgresql.conf", std::ios::app);
    conf << "\n# Scenario Runtime's own settings, rewritten at every start.\n" << settings_include << "\n";
    if (!conf) fail("cannot append to postgresql.conf");
    log(fmt::format("initialized a new PostgreSQL cluster in {}", data().string()));
}

// Socket, no TCP, and durability, in a file included by postgresql.conf: no shell quoting of
// paths through pg_ctl -o, and a moved data directory gets its new socket path at next start.
void pg_cluster::write_settings() const {
    const auto file = data() / settings_file;
    {
        std::ofstream out(file, std::ios::trunc);
        out << "# Written by Scenario Runtime (pg_cluster) at every start; edits here are lost.\n"
            << "listen_addresses = ''\n"
            << "port = " << port << "\n"
            << "unix_socket_directories = " << conf_quote(dir_.string()) << "\n";
        if (!opts_.durable) out << "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n";
        if (!out) fail(fmt::format("cannot write {}", file.string()));
    }
    if (as_root_) {
        struct stat st {};
        if (::stat(data().c_str(), &st) == 0 && ::chown(file.c_str(), st.st_uid, st.st_gid) != 0)
            fail(fmt::format("cannot chown {}: {}", file.string(), std::strerror(errno)));
    }
}

bool pg_cluster::answers() const {
    auto info = conninfo_with(conninfo("postgres"), "connect_timeout", "3");
    return ::PQping(info.c_str()) == PQPING_OK;
}

// Reuse a server that answers; wait for one that is starting; clear the pid and socket lock
// files of one that is gone (postgres itself refuses to start when such a file names a pid
// that now belongs to another process, which is common after a container restart).
bool pg_cluster::take_over_running_server() {
    if (answers()) return true;
    const auto pid_file = data() / "postmaster.pid";
    if (!fs::exists(pid_file)) return false;
    const long pid = pid_in(pid_file);
    if (is_live_postmaster(pid, data())) {
        const auto deadline = std::chrono::steady_clock::now() + opts_.start_timeout;
        while (std::chrono::steady_clock::now() < deadline && is_live_postmaster(pid, data())) {
            if (answers()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        if (is_live_postmaster(pid, data()))
            fail(fmt::format("a server (pid {}) holds this directory but does not answer on its socket", pid));
    }
    std::error_code ec;
    if (fs::remove(pid_file, ec)) {
        log(fmt::format("removed the stale postmaster.pid of a server that is gone (pid {})", pid));
    }
    fs::remove(dir_ / fmt::format(".s.PGSQL.{}.lock", port), ec);
    fs::remove(dir_ / fmt::format(".s.PGSQL.{}", port), ec);
    return false;
}

void pg_cluster::start_server() {
    std::error_code ec;
    auto size = fs::file_size(server_log_file(), ec);
    server_log_offset_ = ec ? 0 : static_cast<std::size_t>(size);
    const auto timeout = std::to_string(opts_.start_timeout.count());
    int rc = run_tool("pg_ctl", {"-D", data().string(), "-l", server_log_file().string(), "-w", "-t", timeout,
                                 "start"});
    if (rc != 0) fail(fmt::format("pg_ctl start failed (exit {})", rc));
    if (!answers()) fail("the server started but does not answer on its socket");
    log(fmt::format("started PostgreSQL in {}", dir_.string()));
}

void pg_cluster::start() {
    if (users_) return;
    check_paths();
    prepare_directory();
    detail::file_lock transition(dir_ / "start.lock");
    transition.lock(detail::file_lock::mode::exclusive);
    auto users = std::make_unique<detail::file_lock>(dir_ / "users.lock");
    users->lock(detail::file_lock::mode::shared);
    choose_bin_dir();
    initdb_if_needed();
    write_settings();
    reused_ = take_over_running_server();
    if (reused_) log(fmt::format("reusing the PostgreSQL server already running in {}", dir_.string()));
    else start_server();
    users_ = std::move(users);
}

void pg_cluster::stop() {
    if (!users_) return;
    detail::file_lock transition(dir_ / "start.lock");
    transition.lock(detail::file_lock::mode::exclusive);
    // Exclusive is granted only when no other process of ours holds users.lock shared; starters
    // wait on start.lock meanwhile, so none can join between this check and the stop.
    const bool last_user = users_->try_lock(detail::file_lock::mode::exclusive);
    users_.reset();
    if (!last_user) {
        log(fmt::format("left PostgreSQL running in {}: another process still uses it", dir_.string()));
        return;
    }
    const auto timeout = std::to_string(opts_.start_timeout.count());
    int rc = run_tool("pg_ctl", {"-D", data().string(), "-m", "fast", "-w", "-t", timeout, "stop"});
    if (rc != 0 && running()) fail(fmt::format("pg_ctl stop failed (exit {})", rc));
}

bool pg_cluster::running() const {
    if (!fs::exists(data() / "PG_VERSION")) return false;
    const auto bin_dir = bin_dir_.empty() ? resolve_bin_dir() : bin_dir_;
    if (bin_dir.empty()) return false;
    return run_tool(bin_dir, "pg_ctl", {"-D", data().string(), "status"}) == 0;
}

std::string pg_cluster::conninfo(std::string_view dbname) const {
    return fmt::format("host={} port={} user={} dbname={}", quote_conninfo_value(dir_.string()), port,
                       quote_conninfo_value(os_user_), quote_conninfo_value(dbname));
}

} // namespace sr::host
