#pragma once
// A real scenariod process on 127.0.0.1 (a free port), on a test database.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "process.hpp"

namespace sr::test {

struct daemon_config {
    daemon_config(std::string url = {}, std::filesystem::path plugins = {}, std::filesystem::path data = {})
        : database_url(std::move(url)), plugins_dir(std::move(plugins)), data_dir(std::move(data)) {}
    std::string database_url;              // SR_DATABASE_URL; empty: a private cluster in data_dir
    std::filesystem::path plugins_dir;     // default: build/plugins
    std::filesystem::path data_dir;        // default: a temp dir
};

class running_daemon {
public:
    explicit running_daemon(daemon_config config);
    ~running_daemon();

    // False when it did not start listening in time (then output() says why).
    bool started() const { return port_ != 0; }
    std::uint16_t port() const { return port_; }
    child_process& process() { return *process_; }
    std::string output() const { return process_->output(); }
    // Sends SIGTERM and returns the exit code (-1 on time-out).
    int stop();

private:
    std::unique_ptr<child_process> process_;
    std::uint16_t port_ = 0;
};

// GET path on 127.0.0.1:port; {status, body}; status 0 when no answer.
struct http_answer {
    int status = 0;
    std::string body;
};
http_answer http_get(std::uint16_t port, const std::string& path);

} // namespace sr::test
