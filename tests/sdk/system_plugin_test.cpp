// The `system` plugin through its real C entry (linked statically from system_static),
// driven by the minimal test host.
#include "test_host.hpp"

#include <scenario/sr_plugin.h>

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <string>

extern "C" const sr_plugin_entry* sr_plugin_entry_v1(void);

using namespace sr::test;

namespace {

const boost::json::object& find_by_id(const boost::json::value& list, const std::string& id) {
    for (const auto& item : list.as_array()) {
        if (item.at("id") == boost::json::value(id)) return item.as_object();
    }
    FAIL("no entry with id " << id);
    throw; // unreachable
}

} // namespace

TEST_CASE("The system plugin's entry reports ABI 1.0 and a complete entry table") {
    const sr_plugin_entry* entry = sr_plugin_entry_v1();
    REQUIRE(entry != nullptr);
    CHECK(entry->struct_size == sizeof(sr_plugin_entry));
    CHECK(entry->abi_major == 1);
    CHECK(entry->abi_minor == SR_ABI_MINOR);
    CHECK(entry->init != nullptr);
    CHECK(entry->deinit != nullptr);
    CHECK(entry->manifest != nullptr);
    CHECK(entry->execute != nullptr);
    CHECK(entry->cancel != nullptr);
}

TEST_CASE("The system manifest names the plugin, its semver and its actions and triggers") {
    test_host host;
    plugin_under_test plugin(sr_plugin_entry_v1(), host);
    const auto manifest = boost::json::parse(plugin.manifest());
    CHECK(manifest.at("id") == "system");
    CHECK(manifest.at("name") == "System");
    CHECK(manifest.at("version") == "1.2.0");
    REQUIRE(manifest.at("actions").as_array().size() == 9);
    CHECK(find_by_id(manifest.at("actions"), "log").at("side_effects") == false);
    CHECK(find_by_id(manifest.at("actions"), "set").at("side_effects") == false);
    CHECK(find_by_id(manifest.at("actions"), "http_request").at("side_effects") == true);
    const auto& manual = find_by_id(manifest.at("triggers"), "manual");
    CHECK(manual.at("kind") == "manual");
    const auto& webhook = find_by_id(manifest.at("triggers"), "webhook");
    CHECK(webhook.at("kind") == "webhook");
    CHECK(webhook.at("verification") == "hmac_sha256");
    const auto& schedule = find_by_id(manifest.at("triggers"), "schedule");
    CHECK(schedule.at("kind") == "schedule");
    CHECK(schedule.at("settings_schema").at("required").as_array().size() == 1);
}

TEST_CASE("Every system action has version 1, object schemas and a sample output") {
    test_host host;
    plugin_under_test plugin(sr_plugin_entry_v1(), host);
    const auto manifest = boost::json::parse(plugin.manifest());
    for (const auto& action : manifest.at("actions").as_array()) {
        INFO("action " << action.at("id"));
        CHECK(action.at("version") == 1);
        CHECK(action.at("deprecated") == false);
        CHECK(action.at("name").is_string());
        CHECK(action.at("input_schema").is_object());
        CHECK(action.at("settings_schema").is_object());
        CHECK(action.at("output_schema").is_object());
        CHECK(action.as_object().contains("sample_output"));
    }
}

TEST_CASE("The manifest stays the same text at the same address until deinit") {
    test_host host;
    plugin_under_test plugin(sr_plugin_entry_v1(), host);
    const sr_str first = plugin.raw_manifest();
    const std::string text(first.data, first.size);
    test_call call({.target = "set", .settings = R"({"value":1})"});
    REQUIRE(plugin.execute(call) == SR_OK);
    const sr_str second = plugin.raw_manifest();
    CHECK(second.data == first.data);
    CHECK(std::string(second.data, second.size) == text);
}

TEST_CASE("system.set outputs the JSON value of its settings") {
    test_host host;
    plugin_under_test plugin(sr_plugin_entry_v1(), host);
    test_call call({.target = "set", .settings = R"({"value":{"a":[1,"two",null],"b":true}})"});
    REQUIRE(plugin.execute(call) == SR_OK);
    auto result = host.result_of(call.get());
    REQUIRE(result);
    CHECK(result->kind == SR_RESULT_SUCCESS);
    CHECK(result->output() == boost::json::parse(R"({"a":[1,"two",null],"b":true})"));
    CHECK(host.completions(call.get()) == 1);
}

TEST_CASE("system.set without a value fails with action_validation_failed") {
    test_host host;
    plugin_under_test plugin(sr_plugin_entry_v1(), host);
    test_call call({.target = "set", .settings = R"({"other":1})"});
    REQUIRE(plugin.execute(call) == SR_OK);
    auto result = host.result_of(call.get());
    REQUIRE(result);
    CHECK(result->kind == SR_RESULT_FATAL_ERROR);
    CHECK(result->error_code == "action_validation_failed");
}

TEST_CASE("system.log writes its message through the host at the requested level") {
    test_host host;
    plugin_under_test plugin(sr_plugin_entry_v1(), host);
    test_call call({.target = "log", .settings = R"({"message":"order 7 received","level":"warn"})"});
    REQUIRE(plugin.execute(call) == SR_OK);
    auto result = host.result_of(call.get());
    REQUIRE(result);
    CHECK(result->kind == SR_RESULT_SUCCESS);
    CHECK(result->output() == boost::json::parse(R"({"logged":true,"message":"order 7 received"})"));
    const auto logs = host.logs();
    REQUIRE(logs.size() == 1);
    CHECK(logs[0].level == SR_LOG_WARN);
    CHECK(logs[0].message == "order 7 received");
    CHECK(logs[0].with_call);
}

TEST_CASE("system.log logs at info when no level is given") {
    test_host host;
    plugin_under_test plugin(sr_plugin_entry_v1(), host);
    test_call call({.target = "log", .settings = R"({"message":"hello"})"});
    REQUIRE(plugin.execute(call) == SR_OK);
    const auto logs = host.logs();
    REQUIRE(logs.size() == 1);
    CHECK(logs[0].level == SR_LOG_INFO);
}

TEST_CASE("system.log rejects an unknown level without logging") {
    test_host host;
    plugin_under_test plugin(sr_plugin_entry_v1(), host);
    test_call call({.target = "log", .settings = R"({"message":"x","level":"loud"})"});
    REQUIRE(plugin.execute(call) == SR_OK);
    auto result = host.result_of(call.get());
    REQUIRE(result);
    CHECK(result->kind == SR_RESULT_FATAL_ERROR);
    CHECK(result->error_code == "action_validation_failed");
    CHECK(host.logs().empty());
}

TEST_CASE("system.log rejects a message that is not a string") {
    test_host host;
    plugin_under_test plugin(sr_plugin_entry_v1(), host);
    test_call call({.target = "log", .settings = R"({"message":42})"});
    REQUIRE(plugin.execute(call) == SR_OK);
    auto result = host.result_of(call.get());
    REQUIRE(result);
    CHECK(result->error_code == "action_validation_failed");
}

TEST_CASE("An unknown action is refused with SR_ERR_UNKNOWN_TARGET and never completed") {
    test_host host;
    plugin_under_test plugin(sr_plugin_entry_v1(), host);
    test_call call({.target = "no_such_action"});
    CHECK(plugin.execute(call) == SR_ERR_UNKNOWN_TARGET);
    CHECK(host.completions(call.get()) == 0);
}

TEST_CASE("An unknown call kind is refused with SR_ERR_UNSUPPORTED") {
    test_host host;
    plugin_under_test plugin(sr_plugin_entry_v1(), host);
    test_call call({.kind = 42, .target = "set"});
    CHECK(plugin.execute(call) == SR_ERR_UNSUPPORTED);
    CHECK(host.completions(call.get()) == 0);
}

TEST_CASE("Polling the manual trigger is refused with SR_ERR_UNSUPPORTED") {
    test_host host;
    plugin_under_test plugin(sr_plugin_entry_v1(), host);
    test_call call({.kind = SR_CALL_POLL_TRIGGER, .target = "manual"});
    CHECK(plugin.execute(call) == SR_ERR_UNSUPPORTED);
}

TEST_CASE("Malformed settings JSON is refused with SR_ERR_INVALID_ARGUMENT and a log line") {
    test_host host;
    plugin_under_test plugin(sr_plugin_entry_v1(), host);
    test_call call({.target = "set", .settings = R"({"value":)"});
    CHECK(plugin.execute(call) == SR_ERR_INVALID_ARGUMENT);
    CHECK(host.completions(call.get()) == 0);
    const auto logs = host.logs();
    REQUIRE(logs.size() == 1);
    CHECK(logs[0].message.find("settings_json") != std::string::npos);
}

TEST_CASE("Input that is JSON but not an object is refused with SR_ERR_INVALID_ARGUMENT") {
    test_host host;
    plugin_under_test plugin(sr_plugin_entry_v1(), host);
    test_call call({.target = "set", .input = "[1,2]", .settings = R"({"value":1})"});
    CHECK(plugin.execute(call) == SR_ERR_INVALID_ARGUMENT);
}

TEST_CASE("A malformed connection is refused without echoing its content") {
    test_host host;
    plugin_under_test plugin(sr_plugin_entry_v1(), host);
    test_call call({.target = "set", .settings = R"({"value":1})", .connection = R"({"password":"hunter2")"});
    CHECK(plugin.execute(call) == SR_ERR_INVALID_ARGUMENT);
    for (const auto& line : host.logs()) CHECK(line.message.find("hunter2") == std::string::npos);
}

TEST_CASE("system.http_request without the host HTTP service fails with a fatal result") {
    test_host host;
    plugin_under_test plugin(sr_plugin_entry_v1(), host);
    test_call call({.target = "http_request", .settings = R"({"url":"https://example.com/x?token=secret"})"});
    REQUIRE(plugin.execute(call) == SR_OK); // completed inline: nothing to wait for
    auto result = host.result_of(call.get());
    REQUIRE(result);
    CHECK(result->kind == SR_RESULT_FATAL_ERROR);
    CHECK(result->error_code == "system_error");
    CHECK(result->error_message.find("sr.http/1") != std::string::npos);
    CHECK(result->error_message.find("secret") == std::string::npos);
    CHECK(host.completions(call.get()) == 1);
}

TEST_CASE("system.http_request with invalid settings fails before any request") {
    test_host host;
    plugin_under_test plugin(sr_plugin_entry_v1(), host);
    test_call call({.target = "http_request", .settings = R"({"url":"ftp://example.com"})"});
    REQUIRE(plugin.execute(call) == SR_OK);
    auto result = host.result_of(call.get());
    REQUIRE(result);
    CHECK(result->kind == SR_RESULT_FATAL_ERROR);
    CHECK(result->error_code == "action_validation_failed");
}

TEST_CASE("The webhook trigger turns a JSON delivery into one event with body and headers") {
    test_host host;
    plugin_under_test plugin(sr_plugin_entry_v1(), host);
    test_call call({.kind = SR_CALL_WEBHOOK,
                    .target = "webhook",
                    .raw_body = R"({"order":7})",
                    .headers = R"({"content-type":"application/json","x-id":"abc"})"});
    REQUIRE(plugin.execute(call) == SR_OK);
    auto result = host.result_of(call.get());
    REQUIRE(result);
    CHECK(result->kind == SR_RESULT_SUCCESS);
    CHECK(result->output() == boost::json::parse(R"({"events":[{"body":{"order":7},
          "headers":{"content-type":"application/json","x-id":"abc"}}]})"));
}

TEST_CASE("The webhook trigger keeps a non-JSON delivery as a string") {
    test_host host;
    plugin_under_test plugin(sr_plugin_entry_v1(), host);
    test_call call({.kind = SR_CALL_WEBHOOK,
                    .target = "webhook",
                    .raw_body = "a=1&b=2",
                    .headers = R"({"content-type":"application/x-www-form-urlencoded"})"});
    REQUIRE(plugin.execute(call) == SR_OK);
    auto result = host.result_of(call.get());
    REQUIRE(result);
    CHECK(result->output().at("events").at(0).at("body") == "a=1&b=2");
}

TEST_CASE("The webhook trigger keeps malformed JSON as a string") {
    test_host host;
    plugin_under_test plugin(sr_plugin_entry_v1(), host);
    test_call call({.kind = SR_CALL_WEBHOOK,
                    .target = "webhook",
                    .raw_body = R"({"order":)",
                    .headers = R"({"content-type":"application/json"})"});
    REQUIRE(plugin.execute(call) == SR_OK);
    auto result = host.result_of(call.get());
    REQUIRE(result);
    CHECK(result->output().at("events").at(0).at("body") == R"({"order":)");
}
