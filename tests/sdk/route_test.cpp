// ABI 1.1: sr_result.route_json and the C++ layer around it (result::routed, .route(),
// filtered_out), the manifest's "flow" and "dynamic_outputs", and sdk::truthy. Results built
// the ABI 1.0 way (struct_size ending before route_json) must read as "follow every edge".
#include "route_c99.h"
#include "routed_plugin.hpp"
#include "sdk_test_helpers.hpp"
#include "test_host.hpp"

#include <scenario/sdk.hpp>

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

using namespace sr::test;
namespace sdk = sr::sdk;
using handles = std::vector<std::string>;

namespace {

sdk::integration make_routing() {
    sdk::integration app("routing", "Routing", "1.0.0");
    app.add_action(plain_action("to_b", [](sdk::action_context&) {
                       return sdk::result::routed(boost::json::object{{"went", "b"}}, {"b"});
                   }).outputs({"a", "b"}))
        .add_action(plain_action("to_both", [](sdk::action_context&) {
                        return sdk::result::success(1).route({"a", "b"});
                    }).outputs({"a", "b"}))
        .add_action(plain_action("drops", [](sdk::action_context&) {
            return sdk::result::filtered_out(boost::json::object{{"passed", false}});
        }))
        .add_action(plain_action("plain", [](sdk::action_context&) { return sdk::result::success(7); }))
        .add_action(plain_action("quoted", [](sdk::action_context&) {
                        return sdk::result::routed(nullptr, {"say \"hi\""});
                    }).outputs({"say \"hi\""}))
        .add_action(plain_action("async_routed", [](sdk::action_context, sdk::completion done) {
                        done(sdk::result::routed(true, {"a"}));
                    }).outputs({"a"}))
        .add_action(plain_action("throws", [](sdk::action_context&) -> sdk::result { throw std::runtime_error("x"); }))
        .add_action(plain_action("looper", [](sdk::action_context&) { return sdk::result::success(); })
                        .flow(sdk::flow_kind::iterate))
        .add_action(plain_action("chooser", [](sdk::action_context&) { return sdk::result::success(); })
                        .settings_schema(R"({"type":"object","properties":{"cases":{"type":"array"}}})")
                        .dynamic_outputs("cases", "handle", {"default"}))
        .add_action(plain_action("fixed_and_dynamic", [](sdk::action_context&) { return sdk::result::success(); })
                        .outputs({"error"})
                        .settings_schema(R"({"type":"object","properties":{"rules":{}}})")
                        .dynamic_outputs("rules", "name"));
    return app;
}

sdk::integration make_dynamic_outputs_unknown_setting() {
    sdk::integration app("bad", "Bad", "1.0.0");
    app.add_action(plain_action("chooser", [](sdk::action_context&) { return sdk::result::success(); })
                       .settings_schema(R"({"type":"object","properties":{"cases":{"type":"array"}}})")
                       .dynamic_outputs("branches", "handle"));
    return app;
}

sdk::integration make_dynamic_outputs_not_array() {
    sdk::integration app("bad", "Bad", "1.0.0");
    app.add_action(plain_action("chooser", [](sdk::action_context&) { return sdk::result::success(); })
                       .settings_schema(R"({"type":"object","properties":{"cases":{"type":"string"}}})")
                       .dynamic_outputs("cases", "handle"));
    return app;
}

sdk::integration make_dynamic_outputs_empty_key() {
    sdk::integration app("bad", "Bad", "1.0.0");
    app.add_action(plain_action("chooser", [](sdk::action_context&) { return sdk::result::success(); })
                       .settings_schema(R"({"type":"object","properties":{"cases":{"type":"array"}}})")
                       .dynamic_outputs("cases", ""));
    return app;
}

sdk::integration make_dynamic_outputs_duplicate_extra() {
    sdk::integration app("bad", "Bad", "1.0.0");
    app.add_action(plain_action("chooser", [](sdk::action_context&) { return sdk::result::success(); })
                       .outputs({"default"})
                       .settings_schema(R"({"type":"object","properties":{"cases":{"type":"array"}}})")
                       .dynamic_outputs("cases", "handle", {"default"}));
    return app;
}

const sr_plugin_entry* routing() { return sdk::plugin_entry<&make_routing>(); }

route_record run_routed(const char* target) {
    test_host host;
    routed_plugin plugin(routing(), host);
    test_call call({.target = target});
    REQUIRE(plugin.execute(call) == SR_OK);
    auto record = plugin.route_of(call);
    REQUIRE(record);
    REQUIRE(record->route_error.empty());
    CHECK(host.completions(call.get()) == 1);
    return *record;
}

// A result as a plugin built against `struct_size` bytes of sr_result fills it.
sr_result result_of_size(std::size_t struct_size, const char* route) {
    sr_result r{};
    r.struct_size = static_cast<uint32_t>(struct_size);
    r.kind = SR_RESULT_SUCCESS;
    r.output_json = sr_str{"1", 1};
    r.retry_after_ms = -1;
    // What lies beyond struct_size is not the plugin's: a host must not read it.
    r.route_json = sr_str{route, std::char_traits<char>::length(route)};
    return r;
}

} // namespace

TEST_CASE("The ABI is 1.1 and route_json is the last field of sr_result, laid out alike in C99 and C++") {
    CHECK(SR_ABI_MAJOR == 1);
    CHECK(SR_ABI_MINOR == 1);
    CHECK(offsetof(sr_result, route_json) >= offsetof(sr_result, resume_at_unix_ms) + sizeof(int64_t));
    CHECK(sizeof(sr_result) == offsetof(sr_result, route_json) + sizeof(sr_str));
    uint64_t from_c[3] = {};
    sr_c99_route_layout(from_c);
    CHECK(from_c[0] == sizeof(sr_result));
    CHECK(from_c[1] == offsetof(sr_result, route_json));
    CHECK(from_c[2] == SR_ABI_MINOR);
}

TEST_CASE("SR_HAS_FIELD sees route_json only in a result of the 1.1 size") {
    const auto size_1_0 = static_cast<uint32_t>(offsetof(sr_result, route_json));
    CHECK(sr_c99_result_has_route(size_1_0) == 0);
    CHECK(sr_c99_result_has_route(sizeof(sr_result) - 1) == 0);
    CHECK(sr_c99_result_has_route(sizeof(sr_result)) == 1);
}

TEST_CASE("A result built the ABI 1.0 way reads as follow every success edge, whatever lies beyond it") {
    // An old plugin's sr_result ends at resume_at_unix_ms: the host must not look further.
    const sr_result old = result_of_size(offsetof(sr_result, route_json), "[]");
    CHECK_FALSE(SR_HAS_FIELD(&old, sr_result, route_json));
    CHECK(read_route(old) == std::nullopt);
}

TEST_CASE("A 1.1 result with an empty route_json follows every success edge and one of \"[]\" follows none") {
    CHECK(read_route(result_of_size(sizeof(sr_result), "")) == std::nullopt);
    CHECK(read_route(result_of_size(sizeof(sr_result), "[]")) == handles{});
    CHECK(read_route(result_of_size(sizeof(sr_result), R"(["a","b"])")) == handles{"a", "b"});
}

TEST_CASE("A route_json that is not an array of strings is refused by the host's reading") {
    CHECK_THROWS_AS(read_route(result_of_size(sizeof(sr_result), R"({"a":1})")), std::invalid_argument);
    CHECK_THROWS_AS(read_route(result_of_size(sizeof(sr_result), R"([1])")), std::invalid_argument);
    CHECK_THROWS_AS(read_route(result_of_size(sizeof(sr_result), "[")), std::invalid_argument);
}

TEST_CASE("result::success has no route: it follows every success edge") {
    const auto r = sdk::result::success(1);
    CHECK_FALSE(r.route().has_value());
    CHECK(r.route_json().empty());
}

TEST_CASE("result::routed keeps the output and follows only the given handles") {
    const auto r = sdk::result::routed(boost::json::object{{"x", 1}}, {"true"});
    CHECK(r.ok());
    CHECK(r.output() == boost::json::parse(R"({"x":1})"));
    REQUIRE(r.route().has_value());
    CHECK(*r.route() == handles{"true"});
    CHECK(boost::json::parse(r.route_json()) == boost::json::parse(R"(["true"])"));
}

TEST_CASE("result::success(...).route(...) chains to the same routed result") {
    const auto r = sdk::result::success("out").route({"a", "b"});
    CHECK(r.output() == "out");
    CHECK(*r.route() == handles{"a", "b"});
}

TEST_CASE("result::filtered_out succeeds and follows no edge: route_json is []") {
    const auto r = sdk::result::filtered_out(boost::json::object{{"passed", false}});
    CHECK(r.ok());
    CHECK(r.output() == boost::json::parse(R"({"passed":false})"));
    REQUIRE(r.route().has_value());
    CHECK(r.route()->empty());
    CHECK(r.route_json() == "[]");
}

TEST_CASE("A routed action's result reaches the host at the 1.1 size with its handles in route_json") {
    const auto record = run_routed("to_b");
    CHECK(record.struct_size == sizeof(sr_result));
    CHECK(record.has_route_field);
    CHECK(record.route == handles{"b"});
}

TEST_CASE("A result routed to several handles reaches the host with all of them in order") {
    CHECK(run_routed("to_both").route == handles{"a", "b"});
}

TEST_CASE("A filtered-out result reaches the host with route_json \"[]\"") {
    const auto record = run_routed("drops");
    CHECK(record.route_json == "[]");
    CHECK(record.route == handles{});
}

TEST_CASE("A plain success reaches the host with an empty route_json, following every edge") {
    const auto record = run_routed("plain");
    CHECK(record.struct_size == sizeof(sr_result));
    CHECK(record.has_route_field);
    CHECK(record.route_json.empty());
    CHECK(record.route == std::nullopt);
}

TEST_CASE("Handles are JSON-escaped in route_json") {
    CHECK(run_routed("quoted").route == handles{"say \"hi\""});
}

TEST_CASE("An asynchronous completion carries its route too") {
    CHECK(run_routed("async_routed").route == handles{"a"});
}

TEST_CASE("An error the SDK reports itself carries no route") {
    const auto record = run_routed("throws");
    CHECK(record.struct_size == sizeof(sr_result));
    CHECK(record.route_json.empty());
    CHECK(record.route == std::nullopt);
}

TEST_CASE("The manifest carries flow only for actions that declare one") {
    test_host host;
    plugin_under_test plugin(routing(), host);
    const auto m = boost::json::parse(plugin.manifest());
    CHECK(action_named(m, "looper").at("flow") == "iterate");
    CHECK_FALSE(action_named(m, "plain").contains("flow"));
}

TEST_CASE("Every flow kind is spelled as the engine reads it") {
    CHECK(sdk::to_string(sdk::flow_kind::iterate) == "iterate");
    CHECK(sdk::to_string(sdk::flow_kind::aggregate) == "aggregate");
    CHECK(sdk::to_string(sdk::flow_kind::merge) == "merge");
    CHECK(sdk::to_string(sdk::flow_kind::variables) == "variables");
    CHECK(sdk::to_string(sdk::flow_kind::stop) == "stop");
}

TEST_CASE("The manifest carries dynamic_outputs with setting, key and extra handles") {
    test_host host;
    plugin_under_test plugin(routing(), host);
    const auto m = boost::json::parse(plugin.manifest());
    CHECK(action_named(m, "chooser").at("dynamic_outputs") ==
          boost::json::parse(R"({"setting":"cases","key":"handle","extra":["default"]})"));
    CHECK_FALSE(action_named(m, "chooser").contains("outputs"));
    CHECK_FALSE(action_named(m, "plain").contains("dynamic_outputs"));
}

TEST_CASE("Static outputs and dynamic_outputs may be declared together") {
    test_host host;
    plugin_under_test plugin(routing(), host);
    const auto m = boost::json::parse(plugin.manifest());
    const auto& action = action_named(m, "fixed_and_dynamic");
    CHECK(action.at("outputs") == boost::json::array{"error"});
    CHECK(action.at("dynamic_outputs") == boost::json::parse(R"({"setting":"rules","key":"name","extra":[]})"));
}

TEST_CASE("dynamic_outputs naming a setting that settings_schema lacks fails init") {
    test_host host;
    CHECK(init_failure(sdk::plugin_entry<&make_dynamic_outputs_unknown_setting>(), host).find("'branches'") !=
          std::string::npos);
}

TEST_CASE("dynamic_outputs over a setting that is not an array fails init") {
    test_host host;
    CHECK(init_failure(sdk::plugin_entry<&make_dynamic_outputs_not_array>(), host).find("must be an array") !=
          std::string::npos);
}

TEST_CASE("dynamic_outputs without a key fails init") {
    test_host host;
    CHECK(init_failure(sdk::plugin_entry<&make_dynamic_outputs_empty_key>(), host).find("key") != std::string::npos);
}

TEST_CASE("dynamic_outputs extra handles that repeat a declared output fail init") {
    test_host host;
    CHECK(init_failure(sdk::plugin_entry<&make_dynamic_outputs_duplicate_extra>(), host).find("extra") !=
          std::string::npos);
}

TEST_CASE("truthy: null, false, 0, NaN, empty string, empty array and empty object are false") {
    CHECK_FALSE(sdk::truthy(nullptr));
    CHECK_FALSE(sdk::truthy(false));
    CHECK_FALSE(sdk::truthy(0));
    CHECK_FALSE(sdk::truthy(0u));
    CHECK_FALSE(sdk::truthy(0.0));
    CHECK_FALSE(sdk::truthy(std::numeric_limits<double>::quiet_NaN()));
    CHECK_FALSE(sdk::truthy(""));
    CHECK_FALSE(sdk::truthy(boost::json::array()));
    CHECK_FALSE(sdk::truthy(boost::json::object()));
}

TEST_CASE("truthy: everything else is true, including the string \"false\" and -1") {
    CHECK(sdk::truthy(true));
    CHECK(sdk::truthy(-1));
    CHECK(sdk::truthy(0.5));
    CHECK(sdk::truthy("false"));
    CHECK(sdk::truthy("0"));
    CHECK(sdk::truthy(boost::json::array{nullptr}));
    CHECK(sdk::truthy(boost::json::object{{"a", nullptr}}));
}
