#include "e2e_fixture.hpp"

#include <csignal>
#include <fstream>
#include <regex>

#include <catch2/catch.hpp>

#include "test_paths.hpp"

namespace sr::test {

std::map<std::string, std::string> wordpress_env() {
    std::ifstream in(SR_WORDPRESS_ENV);
    INFO("no real WordPress: " SR_WORDPRESS_ENV " is missing; run the wordpress_start fixture "
         "(ctest -R test_e2e runs it) or tools/testing/wordpress.sh start /dev/shm/sr-wp");
    REQUIRE(in.good());
    std::map<std::string, std::string> env;
    for (std::string line; std::getline(in, line);) {
        const auto eq = line.find('=');
        if (eq != std::string::npos) env[line.substr(0, eq)] = line.substr(eq + 1);
    }
    REQUIRE(env.count("WP_URL") == 1);
    REQUIRE(env.count("WP_USER") == 1);
    REQUIRE(env.count("WP_APP_PASSWORD") == 1);
    return env;
}

e2e_daemon::e2e_daemon(const std::string& conninfo) {
    auto dir = temp_dir("e2e");
    process_ = std::make_unique<child_process>(
        bin_dir() / "scenariod",
        std::vector<std::string>{"--listen", "127.0.0.1:0", "--plugins", plugin_dir().string(), "--data-dir",
                                 (dir / "data").string()},
        std::map<std::string, std::string>{{"SR_DATABASE_URL", conninfo}, {"SR_MASTER_KEY", e2e_master_key}},
        dir / "scenariod.log");
    if (!process_->wait_for_output("listening on", std::chrono::seconds(60))) return;
    std::smatch m;
    const std::string out = process_->output();
    if (std::regex_search(out, m, std::regex(R"(listening on .*\(port (\d+)\))")))
        port_ = static_cast<std::uint16_t>(std::stoi(m[1]));
}

e2e_daemon::~e2e_daemon() {
    if (process_->running()) stop();
}

int e2e_daemon::stop() {
    process_->signal(SIGTERM);
    return process_->wait(std::chrono::seconds(30));
}

api_answer e2e_daemon::call(const std::string& method, const std::string& target, const std::string& body,
                            const std::string& token, const std::string& extra_headers,
                            std::chrono::milliseconds limit) const {
    std::string headers = extra_headers;
    if (!token.empty()) headers += "Authorization: Bearer " + token + "\r\n";
    if (!body.empty()) headers += "Content-Type: application/json\r\n";
    raw_client client(port_);
    client.send(raw_request(method, target, body, headers));
    auto r = client.read_response(limit);
    api_answer out{r.status, nullptr, r.body, r.headers};
    boost::system::error_code ec;
    auto parsed = boost::json::parse(r.body, ec);
    if (!ec) out.json = std::move(parsed);
    return out;
}

std::string api_answer::header(const std::string& name) const {
    for (const auto& [k, v] : headers)
        if (k == name) return v;
    return {};
}

std::string bootstrap_token(const std::string& conninfo) {
    auto r = run_to_end(bin_dir() / "scenarioctl", {"admin", "bootstrap", "--org", "E2E Inc", "--email", "e2e@example.test"},
                        {{"SR_DATABASE_URL", conninfo}, {"SR_MASTER_KEY", e2e_master_key}}, std::chrono::seconds(60));
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    // The token is the last non-empty line (the notes go to stderr, before it).
    std::smatch m;
    REQUIRE(std::regex_search(r.output, m, std::regex(R"((srt_[A-Za-z0-9_-]+)\s*$)")));
    return m[1];
}

std::string base64_encode(const std::string& in) {
    static constexpr char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < in.size(); i += 3) {
        std::uint32_t n = static_cast<unsigned char>(in[i]) << 16;
        if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
        if (i + 2 < in.size()) n |= static_cast<unsigned char>(in[i + 2]);
        out += t[(n >> 18) & 63];
        out += t[(n >> 12) & 63];
        out += i + 1 < in.size() ? t[(n >> 6) & 63] : '=';
        out += i + 2 < in.size() ? t[n & 63] : '=';
    }
    return out;
}

raw_response wordpress_get(const std::string& path) {
    auto env = wordpress_env();
    std::smatch m;
    REQUIRE(std::regex_match(env["WP_URL"], m, std::regex(R"(http://127\.0\.0\.1:(\d+)/?)")));
    raw_client client(static_cast<std::uint16_t>(std::stoi(m[1])));
    client.send(raw_request("GET", path, {},
                            "Authorization: Basic " + base64_encode(env["WP_USER"] + ":" + env["WP_APP_PASSWORD"]) + "\r\n"));
    return client.read_response(std::chrono::seconds(30));
}

} // namespace sr::test
