// scenariod as a real process: /metrics is served, the rate-limit options are taken and
// enforced, and bad values are refused at start.
#include <catch2/catch.hpp>

#include <csignal>
#include <map>
#include <memory>
#include <regex>

#include <boost/json.hpp>

#include "process.hpp"
#include "test_database.hpp"
#include "test_paths.hpp"
#include "test_servers.hpp"

using namespace sr::test;
namespace json = boost::json;

namespace {

struct daemon_with_args {
    explicit daemon_with_args(const std::string& conninfo, std::vector<std::string> extra) {
        auto dir = temp_dir("observability-daemon");
        std::vector<std::string> args{"--listen", "127.0.0.1:0", "--plugins", plugin_dir().string(), "--data-dir",
                                      (dir / "data").string()};
        args.insert(args.end(), extra.begin(), extra.end());
        process = std::make_unique<child_process>(bin_dir() / "scenariod", args,
                                                  std::map<std::string, std::string>{{"SR_DATABASE_URL", conninfo}},
                                                  dir / "scenariod.log");
        if (process->wait_for_output("listening on", std::chrono::seconds(60))) {
            std::smatch m;
            std::string out = process->output();
            if (std::regex_search(out, m, std::regex(R"(\(port (\d+)\))"))) port = static_cast<std::uint16_t>(std::stoi(m[1]));
        }
    }
    ~daemon_with_args() {
        if (process->running()) {
            process->signal(SIGTERM);
            process->wait(std::chrono::seconds(30));
        }
    }
    raw_response get(const std::string& target) {
        raw_client client(port);
        client.send(raw_request("GET", target));
        return client.read_response(std::chrono::seconds(10));
    }
    std::unique_ptr<child_process> process;
    std::uint16_t port = 0;
};

} // namespace

TEST_CASE("scenariod serves /metrics and limits each client IP on the other routes as --rate-limit-other says") {
    test_database db;
    daemon_with_args daemon(db.conninfo(), {"--rate-limit-other", "0.01/3"});
    INFO(daemon.process->output());
    REQUIRE(daemon.port != 0);
    auto metrics = daemon.get("/metrics");
    REQUIRE(metrics.status == 200);
    REQUIRE(metrics.header("content-type"));
    CHECK(metrics.header("content-type")->rfind("text/plain; version=0.0.4", 0) == 0);
    CHECK(metrics.body.find("sr_build_info{version=\"") != std::string::npos);
    CHECK(metrics.body.find("sr_runs{status=\"queued\"} 0\n") != std::string::npos);
    CHECK(metrics.body.find("sr_webhooks_accepted_total 0\n") != std::string::npos);
    CHECK(metrics.body.find("sr_rate_limit_per_second{group=\"other\"} 0.01\n") != std::string::npos);
    CHECK(metrics.body.find("sr_rate_limit_per_second{group=\"webhooks\"} 0\n") != std::string::npos);

    CHECK(daemon.get("/health").status == 200);
    CHECK(daemon.get("/health").status == 200);
    auto refused = daemon.get("/health");
    CHECK(refused.status == 429);
    CHECK(refused.header("retry-after"));
    CHECK(json::parse(refused.body).at("code") == "rate_limited");
}

TEST_CASE("scenariod refuses a malformed rate limit at start with a message naming the option") {
    auto result = run_to_end(bin_dir() / "scenariod", {"--rate-limit-webhooks", "fast"}, {}, std::chrono::seconds(20));
    CHECK(result.exit_code == 2);
    CHECK(result.output.find("--rate-limit-webhooks takes RATE[/BURST]") != std::string::npos);
}
