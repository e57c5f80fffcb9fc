#pragma once
// Starts one of our executables as a real child process for end-to-end tests, with its
// stderr/stdout captured to a file, and stops it with a signal.
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <sys/types.h>

namespace sr::test {

class child_process {
public:
    // `env` entries are added to (or, with an empty value, removed from) this process's environment.
    child_process(const std::filesystem::path& exe, const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env, const std::filesystem::path& output);
    ~child_process(); // SIGKILL if still running
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    void signal(int sig);
    // The exit code, or -1 when it did not exit within `limit`. A death by signal is 128+sig.
    int wait(std::chrono::milliseconds limit);
    bool running();
    std::string output() const; // what it printed so far
    // Waits until the output contains `text`; false after `limit` or when the process exits.
    bool wait_for_output(const std::string& text, std::chrono::milliseconds limit);

private:
    pid_t pid_ = -1;
    int status_ = -1;
    std::filesystem::path output_;
};

// Runs an executable to completion; returns {exit code, output}.
struct run_result {
    int exit_code = -1;
    std::string output;
};
run_result run_to_end(const std::filesystem::path& exe, const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env, std::chrono::milliseconds limit);

} // namespace sr::test
