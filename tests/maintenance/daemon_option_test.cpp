// scenariod's --retention-days, --handoff, --run-log-level, --writer-lanes and --trusted-proxies options.
#include <catch2/catch.hpp>

#include "app/options.hpp"

using namespace sr::host;

namespace {
parse_outcome parse(std::vector<std::string> args) { return parse_daemon_options(args, "/opt/sr/bin"); }
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
    for (const char* bad : {"-1", "abc", "", "1.5", "36501", "7d", " 7", "00x", "99999999999999999999999"}) {
        INFO(bad);
        auto r = parse({"--retention-days", bad});
        CHECK_FALSE(r.options);
        CHECK(r.exit_code == 2);
        CHECK(r.message.find("--retention-days") != std::string::npos);
    }
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
    for (const char* bad : {"yes", "", "ON", "0"}) {
        INFO(bad);
        auto r = parse({"--handoff", bad});
        CHECK_FALSE(r.options);
        CHECK(r.exit_code == 2);
        CHECK(r.message.find("--handoff takes on or off") != std::string::npos);
    }
}

TEST_CASE("the run log level is info by default and takes the four level names, nothing else") {
    REQUIRE(parse({}).options);
    CHECK(parse({}).options->run_log_level == "info");
    for (const char* level : {"debug", "info", "warn", "error"}) {
        auto r = parse({"--run-log-level", level});
        REQUIRE(r.options);
        CHECK(r.options->run_log_level == level);
    }
    for (const char* bad : {"DEBUG", "", "verbose", "2"}) {
        INFO(bad);
        auto r = parse({"--run-log-level", bad});
        CHECK_FALSE(r.options);
        CHECK(r.exit_code == 2);
        CHECK(r.message.find("--run-log-level takes debug, info, warn or error") != std::string::npos);
    }
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
    for (const char* bad : {"0", "17", "", "two", "-1"}) {
        INFO(bad);
        auto r = parse({"--writer-lanes", bad});
        CHECK_FALSE(r.options);
        CHECK(r.exit_code == 2);
        CHECK(r.message.find("--writer-lanes takes a number from 1 to 16") != std::string::npos);
    }
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
