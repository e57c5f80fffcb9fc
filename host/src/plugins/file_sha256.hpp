#pragma once
// The sha256 of a file, as lower-case hex: identifies exactly which build of a plugin is loaded.
#include <filesystem>
#include <string>

namespace sr::host {

// Throws std::runtime_error naming the file when it cannot be read.
std::string file_sha256(const std::filesystem::path& file);

} // namespace sr::host
