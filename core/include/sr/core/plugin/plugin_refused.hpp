#pragma once
// Why a plugin was not accepted: the ABI handshake, init or its manifest failed.
#include <stdexcept>
#include <string>

namespace sr::core {

class plugin_refused : public std::runtime_error {
public:
    // what() is "<file>: <reason>", so a logged message always names the file.
    plugin_refused(const std::string& file, const std::string& reason)
        : std::runtime_error(file + ": " + reason), file_(file), reason_(reason) {}
    const std::string& file() const noexcept { return file_; }
    const std::string& reason() const noexcept { return reason_; }

private:
    std::string file_, reason_;
};

} // namespace sr::core
