#include "daemon_fixture.hpp"

#include <csignal>
#include <regex>

#include "test_paths.hpp"
#include "test_servers.hpp"

namespace sr::test {

running_daemon::running_daemon(daemon_config config) {
    auto dir = temp_dir("daemon");
    if (config.plugins_dir.empty()) config.plugins_dir = plugin_dir();
    if (config.data_dir.empty()) config.data_dir = dir / "data";
    process_ = std::make_unique<child_process>(
        bin_dir() / "scenariod",
        std::vector<std::string>{"--listen", "127.0.0.1:0", "--plugins", config.plugins_dir.string(), "--data-dir",
                                 config.data_dir.string()},
        std::map<std::string, std::string>{{"SR_DATABASE_URL", config.database_url}}, dir / "scenariod.log");
    if (process_->wait_for_output("listening on", std::chrono::seconds(60))) {
        std::smatch m;
        std::string out = process_->output();
        if (std::regex_search(out, m, std::regex(R"(\(port (\d+)\))"))) port_ = static_cast<std::uint16_t>(std::stoi(m[1]));
    }
}

running_daemon::~running_daemon() {
    if (process_->running()) stop();
}

int running_daemon::stop() {
    process_->signal(SIGTERM);
    return process_->wait(std::chrono::seconds(30));
}

http_answer http_get(std::uint16_t port, const std::string& path) {
    try {
        raw_client client(port);
        client.send(raw_request("GET", path));
        auto r = client.read_response();
        return {r.status, r.body};
    } catch (const std::exception&) {
        return {};
    }
}

} // namespace sr::test
