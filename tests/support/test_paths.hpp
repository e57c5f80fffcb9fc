#pragma once
// Where the build put things, for tests that start executables or load plugins.
#include <filesystem>

namespace sr::test {
std::filesystem::path build_dir();   // the CMake binary dir
std::filesystem::path source_dir();  // the repository
std::filesystem::path bin_dir();     // build/bin: scenariod, scenarioctl
std::filesystem::path plugin_dir();  // build/plugins: the bundled plugins
std::filesystem::path fixture_plugin_dir(); // build/test-plugins: plugins built for tests
// A fresh empty directory under /tmp, removed when the process exits normally.
std::filesystem::path temp_dir(const char* tag);
} // namespace sr::test
