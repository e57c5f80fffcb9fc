#include "db/detail/process.hpp"

#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace sr::host::detail {
namespace {

// Owns a file descriptor.
class unique_fd {
public:
    explicit unique_fd(int fd) : fd_(fd) {}
    ~unique_fd() { if (fd_ >= 0) ::close(fd_); }
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

// posix_spawn file actions, destroyed on every path.
class spawn_actions {
public:
    spawn_actions() { ::posix_spawn_file_actions_init(&actions_); }
    ~spawn_actions() { ::posix_spawn_file_actions_destroy(&actions_); }
    spawn_actions(const spawn_actions&) = delete;
    spawn_actions& operator=(const spawn_actions&) = delete;
    posix_spawn_file_actions_t* get() { return &actions_; }

private:
    posix_spawn_file_actions_t actions_;
};

void check(int rc, const char* what) {
    if (rc != 0) throw std::system_error(rc, std::generic_category(), what);
}

void write_command_line(int fd, const std::vector<std::string>& argv) {
    std::string line = "$";
    for (const auto& a : argv) line += " " + a;
    line += "\n";
    // Best effort: the header only helps a human reading the log.
    [[maybe_unused]] auto n = ::write(fd, line.data(), line.size());
}

int wait_for(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "waitpid");
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

} // namespace

int run_process(const std::vector<std::string>& argv, const std::filesystem::path& log_file,
                const std::filesystem::path& cwd) {
    if (argv.empty()) throw std::invalid_argument("run_process: empty argv");
    unique_fd log(::open(log_file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644));
    if (log.get() < 0) throw std::system_error(errno, std::generic_category(), "open " + log_file.string());
    write_command_line(log.get(), argv);

    spawn_actions actions;
    check(::posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY, 0), "spawn stdin");
    check(::posix_spawn_file_actions_adddup2(actions.get(), log.get(), 1), "spawn stdout");
    check(::posix_spawn_file_actions_adddup2(actions.get(), log.get(), 2), "spawn stderr");
    // Nothing else of ours may leak into the child: a postmaster started through pg_ctl would
    // otherwise hold our sockets and lock files for as long as it runs.
    check(::posix_spawn_file_actions_addclosefrom_np(actions.get(), 3), "spawn closefrom");
    check(::posix_spawn_file_actions_addchdir_np(actions.get(), cwd.c_str()), "spawn chdir");

    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    int rc = ::posix_spawnp(&pid, args[0], actions.get(), nullptr, args.data(), environ);
    if (rc != 0) throw std::system_error(rc, std::generic_category(), "cannot run " + argv[0]);
    return wait_for(pid);
}

std::string system_tool(const std::string& name) {
    for (const char* dir : {"/usr/sbin", "/sbin", "/usr/bin", "/bin"}) {
        auto path = std::filesystem::path(dir) / name;
        if (::access(path.c_str(), X_OK) == 0) return path.string();
    }
    return name;
}

std::string file_tail(const std::filesystem::path& file, std::size_t max_bytes, std::size_t from) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return {};
    in.seekg(0, std::ios::end);
    auto size = static_cast<std::size_t>(in.tellg());
    if (from > size) from = 0;  // the file was replaced meanwhile
    std::size_t start = size - from > max_bytes ? size - max_bytes : from;
    in.seekg(static_cast<std::streamoff>(start));
    std::ostringstream text;
    text << in.rdbuf();
    std::string tail = text.str();
    if (start > from) {
        if (auto nl = tail.find('\n'); nl != std::string::npos) tail.erase(0, nl + 1);
    }
    while (!tail.empty() && (tail.back() == '\n' || tail.back() == ' ')) tail.pop_back();
    return tail;
}

} // namespace sr::host::detail
