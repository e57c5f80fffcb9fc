#pragma once
// The whole product as a user runs it: a real scenariod process on a test database with a
// fixed master key, scenarioctl for the first token, the REST API over a real socket, and the
// real WordPress of the `wordpress` CTest fixture.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "process.hpp"
#include "test_database.hpp"
#include "test_servers.hpp"

namespace sr::test {

// A fixed test key (64 hex digits): the test opens what scenariod sealed with it.
inline constexpr const char* e2e_master_key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

// WP_URL, WP_USER, WP_APP_PASSWORD of the fixture's wordpress.env; fails the test without it.
std::map<std::string, std::string> wordpress_env();

// {status, body as JSON (null when not JSON), raw body}.
struct api_answer {
    int status = 0;
    boost::json::value json;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers; // lower-case names
    std::string header(const std::string& name) const;       // "" when absent
};

class e2e_daemon {
public:
    explicit e2e_daemon(const std::string& conninfo);
    ~e2e_daemon();
    bool started() const { return port_ != 0; }
    std::uint16_t port() const { return port_; }
    std::string output() const { return process_->output(); }
    int stop(); // SIGTERM; the exit code

    // One request with `Authorization: Bearer <token>` when a token is given.
    api_answer call(const std::string& method, const std::string& target, const std::string& body = {},
                    const std::string& token = {}, const std::string& extra_headers = {},
                    std::chrono::milliseconds limit = std::chrono::seconds(10)) const;

private:
    std::unique_ptr<child_process> process_;
    std::uint16_t port_ = 0;
};

// `scenarioctl admin bootstrap` with the daemon's environment: the printed token.
std::string bootstrap_token(const std::string& conninfo);

// GET on the WordPress site (path after WP_URL) with its application password.
raw_response wordpress_get(const std::string& path);

std::string base64_encode(const std::string& bytes);

} // namespace sr::test
