// The `system` plugin's flow building blocks (delay, set_variables, transform, stop, fail,
// respond) through its real C entry, and the timestamp parsing delay relies on.
#include "sdk_test_helpers.hpp"
#include "test_host.hpp"
#include "utc_time.hpp"

#include <scenario/sr_plugin.h>

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <chrono>
#include <cstdint>
#include <string>

extern "C" const sr_plugin_entry* sr_plugin_entry_v1(void);

using namespace sr::test;
using sr::plugins::system::parse_utc_timestamp_ms;

namespace {

recorded_result run_system(test_host& host, const std::string& target, const std::string& settings) {
    plugin_under_test plugin(sr_plugin_entry_v1(), host);
    test_call call({.target = target, .settings = settings});
    REQUIRE(plugin.execute(call) == SR_OK);
    auto result = host.result_of(call.get());
    REQUIRE(result);
    CHECK(host.completions(call.get()) == 1);
    return *result;
}

recorded_result run_system(const std::string& target, const std::string& settings) {
    test_host host;
    return run_system(host, target, settings);
}

void check_validation_failure(const std::string& target, const std::string& settings) {
    INFO(target << " with " << settings);
    const auto result = run_system(target, settings);
    CHECK(result.kind == SR_RESULT_FATAL_ERROR);
    CHECK(result.error_code == "action_validation_failed");
}

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

TEST_CASE("The system manifest 1.2.0 declares the flow actions, side-effect free, with their flow roles") {
    test_host host;
    plugin_under_test plugin(sr_plugin_entry_v1(), host);
    const auto m = boost::json::parse(plugin.manifest());
    CHECK(m.at("version") == "1.2.0");
    for (const char* id : {"delay", "set_variables", "transform", "stop", "fail", "respond"}) {
        INFO(id);
        const auto& action = action_named(m, id);
        CHECK(action.at("side_effects") == false);
        CHECK(action.at("settings_schema").is_object());
        CHECK(action.contains("sample_output"));
    }
    CHECK(action_named(m, "set_variables").at("flow") == "variables");
    CHECK(action_named(m, "stop").at("flow") == "stop");
    for (const char* id : {"delay", "transform", "fail", "respond", "log", "set", "http_request"}) {
        INFO(id);
        CHECK_FALSE(action_named(m, id).contains("flow"));
    }
}

TEST_CASE("system.delay with seconds suspends until now plus those seconds, without waiting") {
    const int64_t before = now_ms();
    const auto started = std::chrono::steady_clock::now();
    const auto result = run_system("delay", R"({"seconds": 90})");
    const int64_t after = now_ms();
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    REQUIRE(result.kind == SR_RESULT_SUSPEND);
    CHECK(result.resume_at_unix_ms >= before + 90'000);
    CHECK(result.resume_at_unix_ms <= after + 90'000);
    CHECK(result.output() == boost::json::value(boost::json::object{{"resume_at", result.resume_at_unix_ms}}));
}

TEST_CASE("system.delay accepts fractional seconds and zero") {
    const int64_t before = now_ms();
    const auto half = run_system("delay", R"({"seconds": 1.5})");
    const auto zero = run_system("delay", R"({"seconds": 0})");
    const int64_t after = now_ms();
    REQUIRE(half.kind == SR_RESULT_SUSPEND);
    CHECK(half.resume_at_unix_ms >= before + 1500);
    CHECK(half.resume_at_unix_ms <= after + 1500);
    REQUIRE(zero.kind == SR_RESULT_SUSPEND);
    CHECK(zero.resume_at_unix_ms >= before);
    CHECK(zero.resume_at_unix_ms <= after);
}

TEST_CASE("system.delay until an ISO 8601 UTC time resumes exactly then") {
    const auto result = run_system("delay", R"({"until": "2030-01-02T03:04:05Z"})");
    REQUIRE(result.kind == SR_RESULT_SUSPEND);
    CHECK(result.resume_at_unix_ms == 1893553445000);
    CHECK(result.output() == boost::json::parse(R"({"resume_at": 1893553445000})"));
}

TEST_CASE("system.delay until a time with an offset and milliseconds converts it to UTC") {
    const auto result = run_system("delay", R"({"until": "2030-01-02T03:04:05.250+02:00"})");
    REQUIRE(result.kind == SR_RESULT_SUSPEND);
    CHECK(result.resume_at_unix_ms == 1893546245250);
}

TEST_CASE("system.delay until Unix milliseconds resumes exactly then") {
    const auto result = run_system("delay", R"({"until": 1893553445000})");
    REQUIRE(result.kind == SR_RESULT_SUSPEND);
    CHECK(result.resume_at_unix_ms == 1893553445000);
}

TEST_CASE("system.delay until a time already passed resumes at that time (at once)") {
    const auto result = run_system("delay", R"({"until": "2001-09-09T01:46:40Z"})");
    REQUIRE(result.kind == SR_RESULT_SUSPEND);
    CHECK(result.resume_at_unix_ms == 1000000000000);
}

TEST_CASE("system.delay refuses an until that is not a time with a zone or Unix milliseconds") {
    check_validation_failure("delay", R"({"until": "tomorrow"})");
    check_validation_failure("delay", R"({"until": "2030-01-02T03:04:05"})");
    check_validation_failure("delay", R"({"until": "2030-02-30T00:00:00Z"})");
    check_validation_failure("delay", R"({"until": -5})");
    check_validation_failure("delay", R"({"until": 1.5})");
    check_validation_failure("delay", R"({"until": true})");
}

TEST_CASE("system.delay refuses seconds below 0, above 30 days or not a number") {
    check_validation_failure("delay", R"({"seconds": -1})");
    check_validation_failure("delay", R"({"seconds": 2592001})");
    check_validation_failure("delay", R"({"seconds": "10"})");
}

TEST_CASE("system.delay accepts exactly 30 days") {
    const int64_t before = now_ms();
    const auto result = run_system("delay", R"({"seconds": 2592000})");
    REQUIRE(result.kind == SR_RESULT_SUSPEND);
    CHECK(result.resume_at_unix_ms >= before + 2'592'000'000);
}

TEST_CASE("system.delay needs exactly one of seconds and until") {
    check_validation_failure("delay", R"({})");
    check_validation_failure("delay", R"({"seconds": 5, "until": 1893553445000})");
}

TEST_CASE("ISO 8601 parsing: leap days, fractions, compact offsets, lower case and the epoch") {
    CHECK(parse_utc_timestamp_ms("2028-02-29T00:00:00Z") == 1835395200000);
    CHECK(parse_utc_timestamp_ms("2030-01-02T03:04:05.250999Z") == 1893553445250);
    CHECK(parse_utc_timestamp_ms("2030-01-02T03:04:05.2Z") == 1893553445200);
    CHECK(parse_utc_timestamp_ms("2030-06-15T12:00:00-0530") == 1907775000000);
    CHECK(parse_utc_timestamp_ms("2030-01-02t03:04:05z") == 1893553445000);
    CHECK(parse_utc_timestamp_ms("2030-01-02 03:04:05Z") == 1893553445000);
    CHECK(parse_utc_timestamp_ms("2030-01-02T03:04Z") == 1893553440000);
    CHECK(parse_utc_timestamp_ms("1970-01-01T00:00:00Z") == 0);
}

TEST_CASE("ISO 8601 parsing refuses impossible dates and times, missing zones and trailing text") {
    for (const char* bad : {"2027-02-29T00:00:00Z", "2030-13-01T00:00:00Z", "2030-01-01T24:00:00Z",
                            "2030-01-01T00:60:00Z", "2030-01-01T00:00:60Z", "2030-01-01T00:00:00",
                            "2030-01-01", "2030-01-01T00:00:00Zjunk", "2030-01-01T00:00:00.Z",
                            "2030-01-01T00:00:00+24:00", "1969-12-31T23:59:59Z", "1970-01-01T00:00:00+01:00",
                            "", "20300101T000000Z", "2030-1-01T00:00:00Z"}) {
        INFO(bad);
        CHECK(parse_utc_timestamp_ms(bad) == std::nullopt);
    }
}

TEST_CASE("system.set_variables outputs its variables object") {
    const auto result = run_system("set_variables", R"({"variables": {"customer_id": 42, "tier": "gold", "_x1": [1]}})");
    REQUIRE(result.kind == SR_RESULT_SUCCESS);
    CHECK(result.output() == boost::json::parse(R"({"customer_id": 42, "tier": "gold", "_x1": [1]})"));
}

TEST_CASE("system.set_variables refuses variables that are not an object or names an expression cannot read") {
    check_validation_failure("set_variables", R"({})");
    check_validation_failure("set_variables", R"({"variables": [1, 2]})");
    check_validation_failure("set_variables", R"({"variables": {"1st": 1}})");
    check_validation_failure("set_variables", R"({"variables": {"a.b": 1}})");
    check_validation_failure("set_variables", R"({"variables": {"": 1}})");
}

TEST_CASE("system.transform outputs the JSON its settings built") {
    const auto result = run_system("transform", R"({"output": {"name": "ADA", "lines": [1, 2, {"x": null}]}})");
    REQUIRE(result.kind == SR_RESULT_SUCCESS);
    CHECK(result.output() == boost::json::parse(R"({"name": "ADA", "lines": [1, 2, {"x": null}]})"));
}

TEST_CASE("system.transform outputs a scalar as is") {
    const auto result = run_system("transform", R"({"output": "just text"})");
    REQUIRE(result.kind == SR_RESULT_SUCCESS);
    CHECK(result.output() == "just text");
}

TEST_CASE("system.transform without an output fails with action_validation_failed") {
    check_validation_failure("transform", R"({"other": 1})");
}

TEST_CASE("system.stop succeeds with its output") {
    const auto result = run_system("stop", R"({"output": {"reason": "nothing to do"}})");
    REQUIRE(result.kind == SR_RESULT_SUCCESS);
    CHECK(result.output() == boost::json::parse(R"({"reason": "nothing to do"})"));
}

TEST_CASE("system.stop without an output succeeds with null") {
    const auto result = run_system("stop", R"({})");
    REQUIRE(result.kind == SR_RESULT_SUCCESS);
    CHECK(result.output().is_null());
}

TEST_CASE("system.fail fails fatally with action_execution_failed and its message by default") {
    const auto result = run_system("fail", R"({"message": "order 7 has no customer"})");
    CHECK(result.kind == SR_RESULT_FATAL_ERROR);
    CHECK(result.error_code == "action_execution_failed");
    CHECK(result.error_message == "order 7 has no customer");
}

TEST_CASE("system.fail with retryable true fails with a retryable error and its own code") {
    const auto result = run_system("fail", R"({"code": "stock_unavailable", "message": "try later", "retryable": true})");
    CHECK(result.kind == SR_RESULT_RETRYABLE_ERROR);
    CHECK(result.error_code == "stock_unavailable");
    CHECK(result.error_message == "try later");
    CHECK(result.retry_after_ms == -1);
}

TEST_CASE("system.fail refuses a missing message, a malformed code and a non-boolean retryable") {
    check_validation_failure("fail", R"({})");
    check_validation_failure("fail", R"({"message": ""})");
    check_validation_failure("fail", R"({"message": 5})");
    check_validation_failure("fail", R"({"message": "m", "code": "Not A Code"})");
    check_validation_failure("fail", R"({"message": "m", "retryable": "yes"})");
}

TEST_CASE("system.respond defaults to status 200, no headers and a null body") {
    const auto result = run_system("respond", R"({})");
    REQUIRE(result.kind == SR_RESULT_SUCCESS);
    CHECK(result.output() == boost::json::parse(R"({"status": 200, "headers": {}, "body": null})"));
}

TEST_CASE("system.respond outputs its status, headers and JSON or text body") {
    const auto json = run_system("respond", R"({"status": 201, "headers": {"X-Request-Id": "r1"}, "body": {"ok": true}})");
    REQUIRE(json.kind == SR_RESULT_SUCCESS);
    CHECK(json.output() ==
          boost::json::parse(R"({"status": 201, "headers": {"X-Request-Id": "r1"}, "body": {"ok": true}})"));
    const auto text = run_system("respond", R"({"status": 202.0, "body": "accepted"})");
    REQUIRE(text.kind == SR_RESULT_SUCCESS);
    CHECK(text.output() == boost::json::parse(R"({"status": 202, "headers": {}, "body": "accepted"})"));
}

TEST_CASE("system.respond refuses a status outside 100-599 and headers that could split the response") {
    check_validation_failure("respond", R"({"status": 99})");
    check_validation_failure("respond", R"({"status": 600})");
    check_validation_failure("respond", R"({"status": "200"})");
    check_validation_failure("respond", R"({"headers": ["x"]})");
    check_validation_failure("respond", R"({"headers": {"x-a": "1\r\nSet-Cookie: s=1"}})");
    check_validation_failure("respond", R"({"headers": {"bad name": "1"}})");
    check_validation_failure("respond", R"({"headers": {"x-a": 1}})");
    check_validation_failure("respond", R"({"headers": {"X-A": "1", "x-a": "2"}})");
}
