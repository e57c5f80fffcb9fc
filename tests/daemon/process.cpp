#include "process.hpp"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_paths.hpp"

extern char** environ;

namespace sr::test {

namespace {
std::vector<std::string> merged_environment(const std::map<std::string, std::string>& extra) {
    std::map<std::string, std::string> vars;
    for (char** e = environ; *e; ++e) {
        std::string kv(*e);
        auto eq = kv.find('=');
        if (eq != std::string::npos) vars[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    for (const auto& [k, v] : extra) {
        if (v.empty()) vars.erase(k);
        else vars[k] = v;
    }
    std::vector<std::string> out;
    for (const auto& [k, v] : vars) out.push_back(k + "=" + v);
    return out;
}
} // namespace

child_process::child_process(const std::filesystem::path& exe, const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& env, const std::filesystem::path& output)
    : output_(output) {
    std::vector<std::string> argv_s{exe.string()};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    auto env_s = merged_environment(env);
    std::vector<char*> envp;
    for (auto& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    int rc = posix_spawn(&pid_, exe.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + exe.string() + ": " + std::strerror(rc));
}

child_process::~child_process() {
    if (running()) {
        ::kill(pid_, SIGKILL);
        wait(std::chrono::seconds(10));
    }
}

void child_process::signal(int sig) {
    if (pid_ > 0) ::kill(pid_, sig);
}

bool child_process::running() {
    if (pid_ <= 0 || status_ != -1) return false;
    int st = 0;
    pid_t r = ::waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
        status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        return false;
    }
    return true;
}

int child_process::wait(std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (running()) {
        if (std::chrono::steady_clock::now() > deadline) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return status_;
}

std::string child_process::output() const {
    std::ifstream in(output_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool child_process::wait_for_output(const std::string& text, std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (output().find(text) != std::string::npos) return true;
        if (!running()) return output().find(text) != std::string::npos;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
}

run_result run_to_end(const std::filesystem::path& exe, const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env, std::chrono::milliseconds limit) {
    auto out = temp_dir("run") / "output.txt";
    child_process p(exe, args, env, out);
    run_result r;
    r.exit_code = p.wait(limit);
    r.output = p.output();
    return r;
}

} // namespace sr::test
