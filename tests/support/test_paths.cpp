#include "test_paths.hpp"

#include <cstdlib>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <unistd.h>

namespace sr::test {

std::filesystem::path build_dir() { return SR_BUILD_DIR; }
std::filesystem::path source_dir() { return SR_SOURCE_DIR; }
std::filesystem::path bin_dir() { return build_dir() / "bin"; }
std::filesystem::path plugin_dir() { return build_dir() / "plugins"; }
std::filesystem::path fixture_plugin_dir() { return build_dir() / "test-plugins"; }

namespace {
std::mutex temp_mutex;
std::vector<std::filesystem::path>& temp_dirs() {
    static std::vector<std::filesystem::path> dirs;
    return dirs;
}
void remove_temp_dirs() {
    std::error_code ec;
    for (const auto& d : temp_dirs()) std::filesystem::remove_all(d, ec);
}
} // namespace

std::filesystem::path temp_dir(const char* tag) {
    std::random_device rd;
    auto dir = std::filesystem::path("/tmp") / fmt::format("sr-{}-{:08x}", tag, rd());
    std::filesystem::create_directories(dir);
    std::lock_guard lock(temp_mutex);
    if (temp_dirs().empty()) std::atexit(remove_temp_dirs);
    temp_dirs().push_back(dir);
    return dir;
}

} // namespace sr::test
