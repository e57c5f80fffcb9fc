// The `router` plugin through its real C entry (linked statically from router_static): the
// branch each action chooses (sr_result.route_json, ABI 1.1), its output, its refusals, and
// its manifest (flow, outputs, dynamic_outputs; JSON Schemas that valijson accepts).
#include "routed_plugin.hpp"
#include "test_host.hpp"

#include <scenario/sr_plugin.h>

#include <catch2/catch.hpp>

#include <boost/json.hpp>

// GCC 12 reports a false maybe-uninitialized inside <regex>, which valijson uses for "pattern".
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <regex>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>
#pragma GCC diagnostic pop

#include <string>
#include <vector>

extern "C" const sr_plugin_entry* sr_plugin_entry_v1(void);

using namespace sr::test;
using handles = std::vector<std::string>;

namespace {

struct outcome {
    recorded_result result;
    route_record route;
};

outcome run_router(const std::string& target, const std::string& settings) {
    test_host host;
    routed_plugin plugin(sr_plugin_entry_v1(), host);
    test_call call({.target = target, .settings = settings});
    REQUIRE(plugin.execute(call) == SR_OK);
    auto result = host.result_of(call.get());
    auto route = plugin.route_of(call);
    REQUIRE(result);
    REQUIRE(route);
    CHECK(host.completions(call.get()) == 1);
    CHECK(route->struct_size == sizeof(sr_result));
    CHECK(route->route_error.empty());
    return {*result, *route};
}

void check_validation_failure(const std::string& target, const std::string& settings) {
    INFO(target << " with " << settings);
    const auto o = run_router(target, settings);
    CHECK(o.result.kind == SR_RESULT_FATAL_ERROR);
    CHECK(o.result.error_code == "action_validation_failed");
    CHECK_FALSE(o.result.error_message.empty());
    CHECK(o.route.route == std::nullopt); // an error carries no route
}

boost::json::value router_manifest() {
    test_host host;
    plugin_under_test plugin(sr_plugin_entry_v1(), host); // init runs the SDK's manifest checks
    return boost::json::parse(plugin.manifest());
}

const boost::json::object& action_named(const boost::json::value& manifest, const char* id) {
    for (const auto& a : manifest.at("actions").as_array()) {
        if (a.at("id") == id) return a.as_object();
    }
    FAIL("no action " << id);
    throw; // unreachable
}

// Whether `instance` satisfies `schema`, checked as the engine checks settings (Draft 7).
bool schema_accepts(const boost::json::value& schema, const std::string& instance_text) {
    valijson::Schema parsed;
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::BoostJsonAdapter schema_adapter(schema);
    parser.populateSchema(schema_adapter, parsed);
    const auto instance = boost::json::parse(instance_text);
    valijson::adapters::BoostJsonAdapter instance_adapter(instance);
    valijson::Validator validator;
    return validator.validate(parsed, instance_adapter, nullptr);
}

const boost::json::value& settings_schema_of(const char* id) {
    static const boost::json::value manifest = router_manifest();
    return action_named(manifest, id).at("settings_schema");
}

} // namespace

// ---- manifest ---------------------------------------------------------------------------

TEST_CASE("The router entry reports ABI 1.1") {
    const sr_plugin_entry* entry = sr_plugin_entry_v1();
    REQUIRE(entry != nullptr);
    CHECK(entry->abi_major == 1);
    CHECK(entry->abi_minor == 1);
    CHECK(entry->struct_size == sizeof(sr_plugin_entry));
}

TEST_CASE("The router manifest passes the SDK's checks and names its six actions at version 1.0.0") {
    const auto m = router_manifest();
    CHECK(m.at("id") == "router");
    CHECK(m.at("name") == "Router");
    CHECK(m.at("version") == "1.0.0");
    REQUIRE(m.at("actions").as_array().size() == 6);
    for (const char* id : {"if", "switch", "filter", "iterate", "aggregate", "merge"}) {
        INFO(id);
        const auto& a = action_named(m, id);
        CHECK(a.at("version") == 1);
        CHECK(a.at("side_effects") == false);
        CHECK(a.at("input_schema").is_object());
        CHECK(a.at("settings_schema").is_object());
        CHECK(a.at("output_schema").is_object());
        CHECK(a.contains("sample_output"));
    }
}

TEST_CASE("The router manifest declares each action's flow role and output handles") {
    const auto m = router_manifest();
    CHECK(action_named(m, "if").at("outputs") == boost::json::parse(R"(["true","false"])"));
    CHECK(action_named(m, "switch").at("dynamic_outputs") ==
          boost::json::parse(R"({"setting":"cases","key":"handle","extra":["default"]})"));
    CHECK_FALSE(action_named(m, "switch").contains("outputs"));
    CHECK(action_named(m, "iterate").at("flow") == "iterate");
    CHECK(action_named(m, "aggregate").at("flow") == "aggregate");
    CHECK(action_named(m, "merge").at("flow") == "merge");
    for (const char* id : {"if", "switch", "filter"}) {
        INFO(id);
        CHECK_FALSE(action_named(m, id).contains("flow"));
    }
    for (const char* id : {"filter", "iterate", "aggregate", "merge"}) {
        INFO(id);
        CHECK_FALSE(action_named(m, id).contains("outputs"));
        CHECK_FALSE(action_named(m, id).contains("dynamic_outputs"));
    }
}

TEST_CASE("Each router sample output satisfies the action's own output schema") {
    const auto m = router_manifest();
    for (const auto& a : m.at("actions").as_array()) {
        INFO(a.at("id"));
        CHECK(schema_accepts(a.at("output_schema"), boost::json::serialize(a.at("sample_output"))));
    }
}

TEST_CASE("An unknown router action is refused with SR_ERR_UNKNOWN_TARGET") {
    test_host host;
    routed_plugin plugin(sr_plugin_entry_v1(), host);
    test_call call({.target = "loop_forever"});
    CHECK(plugin.execute(call) == SR_ERR_UNKNOWN_TARGET);
    CHECK(host.completions(call.get()) == 0);
}

TEST_CASE("Malformed settings JSON is refused before any router action runs") {
    test_host host;
    routed_plugin plugin(sr_plugin_entry_v1(), host);
    test_call call({.target = "if", .settings = R"({"condition": )"});
    CHECK(plugin.execute(call) == SR_ERR_INVALID_ARGUMENT);
    CHECK(host.completions(call.get()) == 0);
}

// ---- if ---------------------------------------------------------------------------------

TEST_CASE("router.if with a true condition follows the true output") {
    const auto o = run_router("if", R"({"condition": true})");
    REQUIRE(o.result.kind == SR_RESULT_SUCCESS);
    CHECK(o.result.output() == boost::json::parse(R"({"result": true})"));
    CHECK(o.route.route == handles{"true"});
}

TEST_CASE("router.if with a false condition follows the false output") {
    const auto o = run_router("if", R"({"condition": false})");
    REQUIRE(o.result.kind == SR_RESULT_SUCCESS);
    CHECK(o.result.output() == boost::json::parse(R"({"result": false})"));
    CHECK(o.route.route == handles{"false"});
}

TEST_CASE("router.if treats null, 0, empty string, empty array and empty object as false") {
    for (const char* value : {"null", "0", "0.0", R"("")", "[]", "{}"}) {
        INFO(value);
        const auto o = run_router("if", std::string(R"({"condition": )") + value + "}");
        CHECK(o.route.route == handles{"false"});
    }
}

TEST_CASE("router.if treats other values, even the string \"false\", as true") {
    for (const char* value : {"1", "-2", "0.1", R"("false")", R"("0")", "[0]", R"({"a":null})"}) {
        INFO(value);
        const auto o = run_router("if", std::string(R"({"condition": )") + value + "}");
        CHECK(o.route.route == handles{"true"});
    }
}

TEST_CASE("router.if without a condition fails with action_validation_failed") {
    check_validation_failure("if", R"({})");
}

// ---- switch -----------------------------------------------------------------------------

TEST_CASE("router.switch follows the handle of the case that equals the value") {
    const auto o = run_router("switch", R"({"value": "paid", "cases": [
        {"handle": "open", "equals": "open"}, {"handle": "paid", "equals": "paid"}]})");
    REQUIRE(o.result.kind == SR_RESULT_SUCCESS);
    CHECK(o.result.output() == boost::json::parse(R"({"handle": "paid", "value": "paid"})"));
    CHECK(o.route.route == handles{"paid"});
}

TEST_CASE("router.switch follows the first matching case when several match") {
    const auto o = run_router("switch", R"({"value": 3, "cases": [
        {"handle": "first", "equals": 3}, {"handle": "second", "equals": 3}]})");
    CHECK(o.route.route == handles{"first"});
}

TEST_CASE("router.switch follows default when no case matches") {
    const auto o = run_router("switch", R"({"value": "refunded", "cases": [{"handle": "paid", "equals": "paid"}]})");
    REQUIRE(o.result.kind == SR_RESULT_SUCCESS);
    CHECK(o.result.output() == boost::json::parse(R"({"handle": "default", "value": "refunded"})"));
    CHECK(o.route.route == handles{"default"});
}

TEST_CASE("router.switch with no cases follows default") {
    CHECK(run_router("switch", R"({"value": 1, "cases": []})").route.route == handles{"default"});
}

TEST_CASE("router.switch compares numbers by value and structures deeply") {
    CHECK(run_router("switch", R"({"value": 2.0, "cases": [{"handle": "two", "equals": 2}]})").route.route ==
          handles{"two"});
    CHECK(run_router("switch", R"({"value": {"a": [1, 2.0]}, "cases": [{"handle": "x", "equals": {"a": [1, 2]}}]})")
              .route.route == handles{"x"});
    CHECK(run_router("switch", R"({"value": "2", "cases": [{"handle": "two", "equals": 2}]})").route.route ==
          handles{"default"});
    CHECK(run_router("switch", R"({"value": [1, 2], "cases": [{"handle": "x", "equals": [1, 2, 3]}]})").route.route ==
          handles{"default"});
}

TEST_CASE("router.switch matches a null value against a null case") {
    CHECK(run_router("switch", R"({"value": null, "cases": [{"handle": "none", "equals": null}]})").route.route ==
          handles{"none"});
}

TEST_CASE("router.switch refuses settings its cases cannot route by") {
    check_validation_failure("switch", R"({"cases": [{"handle": "a", "equals": 1}]})");
    check_validation_failure("switch", R"({"value": 1})");
    check_validation_failure("switch", R"({"value": 1, "cases": {"a": 1}})");
    check_validation_failure("switch", R"({"value": 1, "cases": [5]})");
    check_validation_failure("switch", R"({"value": 1, "cases": [{"equals": 1}]})");
    check_validation_failure("switch", R"({"value": 1, "cases": [{"handle": "a"}]})");
    check_validation_failure("switch", R"({"value": 1, "cases": [{"handle": "default", "equals": 1}]})");
    check_validation_failure("switch", R"({"value": 1, "cases": [{"handle": "", "equals": 1}]})");
    check_validation_failure("switch", R"({"value": 1, "cases": [{"handle": "a b", "equals": 1}]})");
    check_validation_failure("switch", R"({"value": 1, "cases": [{"handle": 7, "equals": 1}]})");
    check_validation_failure("switch",
                             R"({"value": 1, "cases": [{"handle": "a", "equals": 1}, {"handle": "a", "equals": 2}]})");
}

TEST_CASE("router.switch refuses a bad case even after the matching one") {
    check_validation_failure("switch", R"({"value": 1, "cases": [{"handle": "a", "equals": 1}, {"handle": "default", "equals": 2}]})");
}

TEST_CASE("router.switch settings_schema accepts well-formed cases") {
    const auto& schema = settings_schema_of("switch");
    CHECK(schema_accepts(schema, R"({"value": "x", "cases": [{"handle": "paid", "equals": "paid"}, {"handle": "a-1_B", "equals": {"k": 1}}]})"));
    CHECK(schema_accepts(schema, R"({"value": null, "cases": []})"));
}

TEST_CASE("router.switch settings_schema refuses what the action refuses") {
    const auto& schema = settings_schema_of("switch");
    CHECK_FALSE(schema_accepts(schema, R"({"cases": []})"));
    CHECK_FALSE(schema_accepts(schema, R"({"value": 1})"));
    CHECK_FALSE(schema_accepts(schema, R"({"value": 1, "cases": {"a": 1}})"));
    CHECK_FALSE(schema_accepts(schema, R"({"value": 1, "cases": [{"handle": "default", "equals": 1}]})"));
    CHECK_FALSE(schema_accepts(schema, R"({"value": 1, "cases": [{"handle": "a b", "equals": 1}]})"));
    CHECK_FALSE(schema_accepts(schema, R"({"value": 1, "cases": [{"handle": "a"}]})"));
    CHECK_FALSE(schema_accepts(schema, R"({"value": 1, "cases": [{"equals": 1}]})"));
}

// ---- filter -----------------------------------------------------------------------------

TEST_CASE("router.filter with a truthy condition passes: every success edge is followed") {
    const auto o = run_router("filter", R"({"condition": "yes"})");
    REQUIRE(o.result.kind == SR_RESULT_SUCCESS);
    CHECK(o.result.output() == boost::json::parse(R"({"passed": true})"));
    CHECK(o.route.route_json.empty());
    CHECK(o.route.route == std::nullopt);
}

TEST_CASE("router.filter with a falsy condition drops: route_json is []") {
    const auto o = run_router("filter", R"({"condition": 0})");
    REQUIRE(o.result.kind == SR_RESULT_SUCCESS);
    CHECK(o.result.output() == boost::json::parse(R"({"passed": false})"));
    CHECK(o.route.route_json == "[]");
    CHECK(o.route.route == handles{});
}

TEST_CASE("router.filter without a condition fails with action_validation_failed") {
    check_validation_failure("filter", R"({"other": true})");
}

// ---- iterate ----------------------------------------------------------------------------

TEST_CASE("router.iterate outputs its items with the default concurrency of 10") {
    const auto o = run_router("iterate", R"({"items": [{"sku": "A"}, 2, "three"]})");
    REQUIRE(o.result.kind == SR_RESULT_SUCCESS);
    CHECK(o.result.output() == boost::json::parse(R"({"items": [{"sku": "A"}, 2, "three"], "concurrency": 10})"));
    CHECK(o.route.route == std::nullopt);
}

TEST_CASE("router.iterate passes the requested concurrency, including a whole-number double") {
    CHECK(run_router("iterate", R"({"items": [], "concurrency": 3})").result.output() ==
          boost::json::parse(R"({"items": [], "concurrency": 3})"));
    CHECK(run_router("iterate", R"({"items": [1], "concurrency": 1024})").result.output().at("concurrency") == 1024);
    CHECK(run_router("iterate", R"({"items": [1], "concurrency": 4.0})").result.output().at("concurrency") == 4);
}

TEST_CASE("router.iterate with items that are not an array fails fatally with action_validation_failed") {
    check_validation_failure("iterate", R"({"items": {"a": 1}})");
    check_validation_failure("iterate", R"({"items": "a,b"})");
    check_validation_failure("iterate", R"({"items": null})");
    check_validation_failure("iterate", R"({})");
}

TEST_CASE("router.iterate refuses a concurrency outside 1-1024 or not a whole number") {
    for (const char* c : {"0", "-1", "1025", "2.5", R"("5")", "true", "18446744073709551615"}) {
        check_validation_failure("iterate", std::string(R"({"items": [1], "concurrency": )") + c + "}");
    }
}

TEST_CASE("router.iterate settings_schema requires an array of items and bounds concurrency") {
    const auto& schema = settings_schema_of("iterate");
    CHECK(schema_accepts(schema, R"({"items": [1, 2], "concurrency": 5})"));
    CHECK_FALSE(schema_accepts(schema, R"({"items": "x"})"));
    CHECK_FALSE(schema_accepts(schema, R"({"items": [], "concurrency": 0})"));
    CHECK_FALSE(schema_accepts(schema, R"({"items": [], "concurrency": 1025})"));
}

// ---- aggregate --------------------------------------------------------------------------

TEST_CASE("router.aggregate outputs the injected items with their count") {
    const auto o = run_router("aggregate", R"({"items": [{"ok": true}, {"ok": false}, null]})");
    REQUIRE(o.result.kind == SR_RESULT_SUCCESS);
    CHECK(o.result.output() == boost::json::parse(R"({"items": [{"ok": true}, {"ok": false}, null], "count": 3})"));
    CHECK(o.route.route == std::nullopt);
}

TEST_CASE("router.aggregate of an empty iteration outputs no items and count 0") {
    CHECK(run_router("aggregate", R"({"items": []})").result.output() ==
          boost::json::parse(R"({"items": [], "count": 0})"));
}

TEST_CASE("router.aggregate without injected items fails with action_validation_failed") {
    check_validation_failure("aggregate", R"({})");
    check_validation_failure("aggregate", R"({"items": 3})");
}

TEST_CASE("router.aggregate settings_schema accepts settings without items, which the engine injects later") {
    CHECK(schema_accepts(settings_schema_of("aggregate"), R"({})"));
}

// ---- merge ------------------------------------------------------------------------------

TEST_CASE("router.merge defaults to mode all") {
    const auto o = run_router("merge", R"({})");
    REQUIRE(o.result.kind == SR_RESULT_SUCCESS);
    CHECK(o.result.output() == boost::json::parse(R"({"mode": "all"})"));
    CHECK(o.route.route == std::nullopt);
}

TEST_CASE("router.merge outputs the mode it was given") {
    CHECK(run_router("merge", R"({"mode": "any"})").result.output() == boost::json::parse(R"({"mode": "any"})"));
    CHECK(run_router("merge", R"({"mode": "all"})").result.output() == boost::json::parse(R"({"mode": "all"})"));
}

TEST_CASE("router.merge refuses a mode other than all or any") {
    check_validation_failure("merge", R"({"mode": "some"})");
    check_validation_failure("merge", R"({"mode": 1})");
    CHECK_FALSE(schema_accepts(settings_schema_of("merge"), R"({"mode": "some"})"));
}
