// scenariod's --retention-days, --handoff, --run-log-level, --writer-lanes and --trusted-proxies options.
#include <catch2/catch.hpp>

#include <initializer_list>
#include <string>
#include <vector>

#include "app/options.hpp"

using namespace sr::host;

namespace {
parse_outcome parse(std::vector<std::string> args) { return parse_daemon_options(args, "/opt/sr/bin"); }

// Each of `values` given to `option` is refused with exit code 2 and a message containing `says`.
void check_refused(const char* option, std::initializer_list<const char*> values, const std::string& says) {
    for (const char* bad : values) {
        INFO(bad);
        auto r = parse({option, bad});
        CHECK_FALSE(r.options);
        CHECK(r.exit_code == 2);
        CHECK(r.message.find(says) != std::string::npos);
    }
}
} // namespace

TEST_CASE("scenariod keeps finished runs 30 days unless told otherwise") {
    auto r = parse({});
    REQUIRE(r.options);
    CHECK(r.options->retention_days == 30);
}

TEST_CASE("the retention-days option takes a number of days, 0 meaning keep forever") {
    auto week = parse({"--retention-days", "7"});
    REQUIRE(week.options);
    CHECK(week.options->retention_days == 7);
    auto forever = parse({"--retention-days", "0"});
    REQUIRE(forever.options);
    CHECK(forever.options->retention_days == 0);
    auto most = parse({"--retention-days", "36500"});
    REQUIRE(most.options);
    CHECK(most.options->retention_days == 36500);
}

TEST_CASE("the retention-days option refuses values that are not a whole number of days in range") {
    check_refused("--retention-days", {"-1", "abc", "", "1.5", "36501", "7d", " 7", "00x", "99999999999999999999999"},
                  "--retention-days");
    auto missing = parse({"--retention-days"});
    CHECK_FALSE(missing.options);
    CHECK(missing.exit_code == 2);
}

TEST_CASE("the usage text documents --retention-days") {
    CHECK(daemon_usage().find("--retention-days") != std::string::npos);
}

TEST_CASE("the handoff option is on by default and takes on or off, nothing else") {
    REQUIRE(parse({}).options);
    CHECK(parse({}).options->handoff);
    auto off = parse({"--handoff", "off"});
    REQUIRE(off.options);
    CHECK_FALSE(off.options->handoff);
    auto on = parse({"--handoff", "on"});
    REQUIRE(on.options);
    CHECK(on.options->handoff);
    check_refused("--handoff", {"yes", "", "ON", "0"}, "--handoff takes on or off");
}

TEST_CASE("the run log level is info by default and takes the four level names, nothing else") {
    REQUIRE(parse({}).options);
    CHECK(parse({}).options->run_log_level == "info");
    for (const char* level : {"debug", "info", "warn", "error"}) {
        auto r = parse({"--run-log-level", level});
        REQUIRE(r.options);
        CHECK(r.options->run_log_level == level);
    }
    check_refused("--run-log-level", {"DEBUG", "", "verbose", "2"}, "--run-log-level takes debug, info, warn or error");
    CHECK(daemon_usage().find("--run-log-level") != std::string::npos);
}

TEST_CASE("the writer-lanes option is 1 by default and takes a number from 1 to 16") {
    REQUIRE(parse({}).options);
    CHECK(parse({}).options->writer_lanes == 1);
    for (const char* lanes : {"1", "4", "16"}) {
        auto r = parse({"--writer-lanes", lanes});
        REQUIRE(r.options);
        CHECK(r.options->writer_lanes == std::stoul(lanes));
    }
    check_refused("--writer-lanes", {"0", "17", "", "two", "-1"}, "--writer-lanes takes a number from 1 to 16");
    CHECK(daemon_usage().find("--writer-lanes") != std::string::npos);
}

TEST_CASE("the trusted-proxies option takes a list of addresses and networks and refuses anything else") {
    REQUIRE(parse({}).options);
    CHECK(parse({}).options->proxies.empty());
    auto r = parse({"--trusted-proxies", "10.0.0.0/8,::1"});
    REQUIRE(r.options);
    CHECK(r.options->proxies.contains("10.9.8.7"));
    CHECK(r.options->proxies.contains("::1"));
    CHECK_FALSE(r.options->proxies.contains("192.0.2.1"));
    auto bad = parse({"--trusted-proxies", "10.0.0.0/8,proxy.local"});
    CHECK_FALSE(bad.options);
    CHECK(bad.exit_code == 2);
    CHECK(bad.message.find("--trusted-proxies: not an IP address or network: proxy.local") != std::string::npos);
    CHECK(daemon_usage().find("--trusted-proxies") != std::string::npos);
}
