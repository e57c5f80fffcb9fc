// scenariod: the Scenario Runtime host daemon. See app/daemon.hpp for what it does.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "app/daemon.hpp"
#include "app/options.hpp"

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    auto exe_dir = ec ? std::filesystem::current_path() : exe.parent_path();
    auto parsed = sr::host::parse_daemon_options(args, exe_dir);
    if (!parsed.options) {
        std::fputs(parsed.message.c_str(), parsed.exit_code == 0 ? stdout : stderr);
        return parsed.exit_code;
    }
    return sr::host::run_daemon(*parsed.options);
}
