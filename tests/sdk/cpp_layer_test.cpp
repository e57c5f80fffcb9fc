// The C++ layer's trampolines, completion handle, dispatch and manifest, through test-only
// integrations reached with sr::sdk::plugin_entry<&factory>() (the table SR_PLUGIN exports).
#include "sdk_test_helpers.hpp"
#include "test_host.hpp"

#include <scenario/sdk.hpp>

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace sr::test;
namespace sdk = sr::sdk;
using namespace std::chrono_literals;

namespace {

std::mutex parked_mutex;
std::optional<sdk::completion> parked;
std::atomic<int> second_completion_accepted{-1};

sdk::integration make_behaviours() {
    sdk::integration app("behaviours", "Behaviours", "0.3.1-beta.2+build.5");
    app.add_connection(sdk::connection_type("api_key", "API key")
                           .schema(R"({"type":"object","properties":{"key":{"type":"string"}}})")
                           .secret_fields({"key"})
                           .on_test([](sdk::action_context& ctx) {
                               return ctx.connection().contains("key")
                                          ? sdk::result::success(boost::json::object{{"ok", true}})
                                          : sdk::result::fatal("connection_invalid", "no key");
                           }));
    app.add_connection(sdk::connection_type("untestable", "Untestable"));
    app.add_action(plain_action("throws", [](sdk::action_context&) -> sdk::result { throw std::runtime_error("boom"); }));
    app.add_action(plain_action("throws_int", [](sdk::action_context&) -> sdk::result { throw 42; }));
    app.add_action(plain_action("async_throws", [](sdk::action_context, sdk::completion) {
        throw std::logic_error("late boom");
    }));
    app.add_action(plain_action("drops", [](sdk::action_context, sdk::completion) {}));
    app.add_action(plain_action("twice", [](sdk::action_context, sdk::completion done) {
        done(sdk::result::success(1));
        second_completion_accepted = done(sdk::result::success(2)) ? 1 : 0;
    }));
    app.add_action(plain_action("completes_then_throws", [](sdk::action_context, sdk::completion done) {
        done(sdk::result::success("first"));
        throw std::runtime_error("after completing");
    }));
    app.add_action(plain_action("parks", [](sdk::action_context, sdk::completion done) {
        std::lock_guard lock(parked_mutex);
        parked.emplace(std::move(done));
    }));
    app.add_action(plain_action("waits_for_cancel", [](sdk::action_context ctx, sdk::completion done) {
        ctx.on_cancel([done = std::move(done)]() mutable { done(sdk::result::fatal("cancelled", "stopped by test")); });
    }));
    app.add_action(plain_action("context", [](sdk::action_context& ctx) {
        return sdk::result::success(boost::json::object{
            {"input", ctx.input()},           {"settings", ctx.settings()},
            {"has_connection", ctx.has_connection()}, {"run_id", ctx.run_id()},
            {"node_id", ctx.node_id()},       {"correlation_id", ctx.correlation_id()},
            {"idempotency_key", ctx.idempotency_key()}, {"scope", ctx.scope()},
            {"attempt", ctx.attempt()},       {"deadline", ctx.deadline_unix_ms()},
            {"target", ctx.target()},         {"kind", ctx.kind()}});
    }));
    app.add_action(plain_action("retry", [](sdk::action_context&) {
        return sdk::result::retryable("connection_rate_limited", "slow down", 1500);
    }));
    app.add_action(plain_action("suspend", [](sdk::action_context&) {
        return sdk::result::suspend_until(1700000000000, boost::json::object{{"resumed", true}});
    }));
    app.add_action(plain_action("is_cancelled", [](sdk::action_context& ctx) {
        return sdk::result::success(ctx.cancelled());
    }));
    app.add_action(plain_action("kv_get", [](sdk::action_context ctx, sdk::completion done) {
        ctx.kv().get("cursor", [done = std::move(done)](sr_status status, boost::json::value value) mutable {
            done(sdk::result::success(boost::json::object{{"status", status}, {"value", value}}));
        });
    }));
    app.add_action(plain_action("logs_after_completion", [](sdk::action_context ctx, sdk::completion done) {
        ctx.info("before");
        done(sdk::result::success());
        ctx.info("after");
    }));
    app.add_action(sdk::action("versioned", "Versioned v1").version(1).deprecated().side_effects(false).run(
        [](sdk::action_context&) { return sdk::result::success(1); }));
    app.add_action(sdk::action("versioned", "Versioned v2").version(2).side_effects(false).run(
        [](sdk::action_context&) { return sdk::result::success(2); }));
    app.add_action(
        sdk::action("create_card", "Create card")
            .side_effects(true)
            .connection("api_key")
            .settings_schema(R"({"type":"object","properties":{"board":{"type":"string"},"list":{"type":"string"}}})")
            .outputs({"created", "exists"})
            .add_field(sdk::dynamic_field("list", sdk::field_type::multi_select)
                           .label("List")
                           .depends_on({"connection", "board"})
                           .cache_ttl_s(60)
                           .options([](sdk::action_context& ctx) {
                               const auto& board = ctx.settings().at("board").as_string();
                               return sdk::result::success(boost::json::object{
                                   {"options", boost::json::array{boost::json::object{
                                                   {"value", "todo"}, {"label", std::string(board) + "/To do"}}}}});
                           }))
            .add_field(sdk::dynamic_field("board"))
            .compensation("delete_card", R"({"id":"{{output.id}}"})")
            .sample_output(R"({"id":"c1"})")
            .run([](sdk::action_context&) { return sdk::result::success(boost::json::object{{"id", "c1"}}); })
            .on_migrate([](sdk::action_context& ctx) {
                boost::json::object settings = ctx.settings();
                if (const auto* old = settings.if_contains("column")) {
                    boost::json::value list = *old; // copy first: inserting may rehash
                    settings.erase("column");
                    settings["list"] = std::move(list);
                }
                return sdk::result::success(settings);
            }));
    app.add_action(plain_action("delete_card", [](sdk::action_context&) { return sdk::result::success(); }));
    app.add_trigger(sdk::trigger("new_items", "New items", sdk::trigger_kind::polling)
                        .poll_interval_s(30)
                        .on_poll([](sdk::action_context& ctx) {
                            const int64_t last = ctx.cursor().is_int64() ? ctx.cursor().as_int64() : 0;
                            return sdk::result::success(boost::json::object{
                                {"events", boost::json::array{boost::json::object{{"n", last + 1}}}}, {"cursor", last + 1}});
                        }));
    return app;
}

sdk::integration make_throwing_factory() { throw std::runtime_error("factory exploded"); }

sdk::integration make_duplicate_actions() {
    sdk::integration app("dup", "Dup", "1.0.0");
    app.add_action(plain_action("same", [](sdk::action_context&) { return sdk::result::success(); }));
    app.add_action(plain_action("same", [](sdk::action_context&) { return sdk::result::success(); }));
    return app;
}

sdk::integration make_malformed_schema() {
    sdk::integration app("bad", "Bad", "1.0.0");
    app.add_action(sdk::action("broken", "Broken").side_effects(false).settings_schema(R"({"type":)").run(
        [](sdk::action_context&) { return sdk::result::success(); }));
    return app;
}

sdk::integration make_undeclared_side_effects() {
    sdk::integration app("vague", "Vague", "1.0.0");
    app.add_action(sdk::action("unsure", "Unsure").run([](sdk::action_context&) { return sdk::result::success(); }));
    return app;
}

sdk::integration make_unknown_dynamic_field() {
    sdk::integration app("fields", "Fields", "1.0.0");
    app.add_action(plain_action("a", [](sdk::action_context&) { return sdk::result::success(); })
                       .settings_schema(R"({"type":"object","properties":{"x":{}}})")
                       .add_field(sdk::dynamic_field("y")));
    return app;
}

sdk::integration make_bad_version() {
    sdk::integration app("semver", "Semver", "1.0");
    app.add_action(plain_action("a", [](sdk::action_context&) { return sdk::result::success(); }));
    return app;
}

sdk::integration make_undeclared_connection() {
    sdk::integration app("conn", "Conn", "1.0.0");
    app.add_action(plain_action("a", [](sdk::action_context&) { return sdk::result::success(); }).connection("oauth"));
    return app;
}

const sr_plugin_entry* behaviours() { return sdk::plugin_entry<&make_behaviours>(); }

// Runs `spec` on a fresh behaviours instance and returns the recorded result.
std::pair<sr_status, std::optional<recorded_result>> run(test_host& host, call_spec spec) {
    plugin_under_test plugin(behaviours(), host);
    test_call call(std::move(spec));
    const sr_status status = plugin.execute(call);
    return {status, host.result_of(call.get())};
}

} // namespace

TEST_CASE("An action that throws completes with a fatal plugin_exception carrying the message") {
    test_host host;
    auto [status, result] = run(host, {.target = "throws"});
    CHECK(status == SR_OK);
    REQUIRE(result);
    CHECK(result->kind == SR_RESULT_FATAL_ERROR);
    CHECK(result->error_code == "plugin_exception");
    CHECK(result->error_message.find("boom") != std::string::npos);
}

TEST_CASE("An action that throws a non-exception type completes with plugin_exception") {
    test_host host;
    auto [status, result] = run(host, {.target = "throws_int"});
    CHECK(status == SR_OK);
    REQUIRE(result);
    CHECK(result->error_code == "plugin_exception");
}

TEST_CASE("An asynchronous action that throws before completing reports plugin_exception, not a dropped call") {
    test_host host;
    auto [status, result] = run(host, {.target = "async_throws"});
    CHECK(status == SR_OK);
    REQUIRE(result);
    CHECK(result->error_code == "plugin_exception");
    CHECK(result->error_message.find("late boom") != std::string::npos);
}

TEST_CASE("A completion dropped without completing ends the call with plugin_dropped_call") {
    test_host host;
    auto [status, result] = run(host, {.target = "drops"});
    CHECK(status == SR_OK);
    REQUIRE(result);
    CHECK(result->kind == SR_RESULT_FATAL_ERROR);
    CHECK(result->error_code == "plugin_dropped_call");
}

TEST_CASE("A completion called twice completes the call once with the first result") {
    test_host host;
    plugin_under_test plugin(behaviours(), host);
    test_call call({.target = "twice"});
    CHECK(plugin.execute(call) == SR_OK);
    CHECK(host.completions(call.get()) == 1);
    CHECK(host.result_of(call.get())->output() == 1);
    CHECK(second_completion_accepted == 0);
}

TEST_CASE("An exception after completing leaves the first result alone") {
    test_host host;
    plugin_under_test plugin(behaviours(), host);
    test_call call({.target = "completes_then_throws"});
    CHECK(plugin.execute(call) == SR_OK);
    CHECK(host.completions(call.get()) == 1);
    CHECK(host.result_of(call.get())->output() == "first");
}

TEST_CASE("A parked asynchronous call returns SR_PENDING and completes once from another thread") {
    test_host host;
    plugin_under_test plugin(behaviours(), host);
    test_call call({.target = "parks"});
    REQUIRE(plugin.execute(call) == SR_PENDING);
    CHECK(host.completions(call.get()) == 0);
    std::thread worker([] {
        std::lock_guard lock(parked_mutex);
        (*parked)(sdk::result::success("later"));
        parked.reset();
    });
    worker.join();
    auto result = host.wait_for(call.get(), 2s);
    REQUIRE(result);
    CHECK(result->output() == "later");
    CHECK(host.completions(call.get()) == 1);
}

TEST_CASE("Cancelling a call without a cancel handler completes it as cancelled, once") {
    test_host host;
    plugin_under_test plugin(behaviours(), host);
    test_call call({.target = "parks"});
    REQUIRE(plugin.execute(call) == SR_PENDING);
    plugin.cancel(call);
    auto result = host.result_of(call.get());
    REQUIRE(result);
    CHECK(result->kind == SR_RESULT_FATAL_ERROR);
    CHECK(result->error_code == "cancelled");
    std::lock_guard lock(parked_mutex);
    CHECK_FALSE((*parked)(sdk::result::success("too late")));
    parked.reset();
    CHECK(host.completions(call.get()) == 1);
}

TEST_CASE("Cancelling a call runs its cancel handler, which completes it") {
    test_host host;
    plugin_under_test plugin(behaviours(), host);
    test_call call({.target = "waits_for_cancel"});
    REQUIRE(plugin.execute(call) == SR_PENDING);
    plugin.cancel(call);
    auto result = host.result_of(call.get());
    REQUIRE(result);
    CHECK(result->error_code == "cancelled");
    CHECK(result->error_message == "stopped by test");
}

TEST_CASE("Cancelling a call that already completed does nothing") {
    test_host host;
    plugin_under_test plugin(behaviours(), host);
    test_call call({.target = "retry"});
    REQUIRE(plugin.execute(call) == SR_OK);
    plugin.cancel(call);
    CHECK(host.completions(call.get()) == 1);
}

TEST_CASE("The context carries the call's input, settings and identifiers") {
    test_host host;
    auto [status, result] = run(host, {.target = "context",
                                       .input = R"({"i":1})",
                                       .settings = R"({"s":2})",
                                       .connection = R"({"key":"k"})",
                                       .run_id = "r9",
                                       .node_id = "n9",
                                       .correlation_id = "c9",
                                       .idempotency_key = "r9:n9",
                                       .scope = "sc9",
                                       .attempt = 3,
                                       .deadline_unix_ms = 1234});
    REQUIRE(status == SR_OK);
    REQUIRE(result);
    CHECK(result->output() == boost::json::parse(R"({"input":{"i":1},"settings":{"s":2},"has_connection":true,
        "run_id":"r9","node_id":"n9","correlation_id":"c9","idempotency_key":"r9:n9","scope":"sc9",
        "attempt":3,"deadline":1234,"target":"context","kind":0})"));
}

TEST_CASE("Empty input and settings reach the handler as empty objects") {
    test_host host;
    auto [status, result] = run(host, {.target = "context", .input = "", .settings = ""});
    REQUIRE(status == SR_OK);
    CHECK(result->output().at("input") == boost::json::object());
    CHECK(result->output().at("settings") == boost::json::object());
    CHECK(result->output().at("has_connection") == false);
}

TEST_CASE("A retryable result carries its code, message and retry-after") {
    test_host host;
    auto [status, result] = run(host, {.target = "retry"});
    REQUIRE(result);
    CHECK(result->kind == SR_RESULT_RETRYABLE_ERROR);
    CHECK(result->error_code == "connection_rate_limited");
    CHECK(result->error_message == "slow down");
    CHECK(result->retry_after_ms == 1500);
}

TEST_CASE("A suspend result carries its resume time and output") {
    test_host host;
    auto [status, result] = run(host, {.target = "suspend"});
    REQUIRE(result);
    CHECK(result->kind == SR_RESULT_SUSPEND);
    CHECK(result->resume_at_unix_ms == 1700000000000);
    CHECK(result->output() == boost::json::parse(R"({"resumed":true})"));
}

TEST_CASE("The context reports the host's cancellation flag") {
    test_host host;
    host.set_cancelled(true);
    auto [status, result] = run(host, {.target = "is_cancelled"});
    REQUIRE(result);
    CHECK(result->output() == true);
}

TEST_CASE("The KV wrapper answers SR_ERR_UNSUPPORTED when the host has no KV service") {
    test_host host;
    auto [status, result] = run(host, {.target = "kv_get"});
    CHECK(status == SR_OK);
    REQUIRE(result);
    CHECK(result->output() == boost::json::parse(R"({"status":4,"value":null})"));
}

TEST_CASE("Logging after completion is attributed to the plugin, not the finished call") {
    test_host host;
    auto [status, result] = run(host, {.target = "logs_after_completion"});
    const auto logs = host.logs();
    REQUIRE(logs.size() == 2);
    CHECK(logs[0].with_call);
    CHECK_FALSE(logs[1].with_call);
}

TEST_CASE("An action id runs its highest version, and id@N runs version N") {
    test_host host;
    plugin_under_test plugin(behaviours(), host);
    test_call latest({.target = "versioned"});
    test_call first({.target = "versioned@1"});
    test_call missing({.target = "versioned@3"});
    test_call garbage({.target = "versioned@x"});
    REQUIRE(plugin.execute(latest) == SR_OK);
    REQUIRE(plugin.execute(first) == SR_OK);
    CHECK(host.result_of(latest.get())->output() == 2);
    CHECK(host.result_of(first.get())->output() == 1);
    CHECK(plugin.execute(missing) == SR_ERR_UNKNOWN_TARGET);
    CHECK(plugin.execute(garbage) == SR_ERR_UNKNOWN_TARGET);
}

TEST_CASE("Field options are answered by the field's handler with its dependencies") {
    test_host host;
    auto [status, result] = run(host, {.kind = SR_CALL_FIELD_OPTIONS,
                                       .target = "create_card",
                                       .field = "list",
                                       .settings = R"({"board":"b1"})"});
    REQUIRE(status == SR_OK);
    CHECK(result->output() == boost::json::parse(R"({"options":[{"value":"todo","label":"b1/To do"}]})"));
}

TEST_CASE("Field options for an unknown field or a field without a handler are refused") {
    test_host host;
    plugin_under_test plugin(behaviours(), host);
    test_call unknown({.kind = SR_CALL_FIELD_OPTIONS, .target = "create_card", .field = "nope"});
    test_call no_handler({.kind = SR_CALL_FIELD_OPTIONS, .target = "create_card", .field = "board"});
    CHECK(plugin.execute(unknown) == SR_ERR_UNKNOWN_TARGET);
    CHECK(plugin.execute(no_handler) == SR_ERR_UNSUPPORTED);
}

TEST_CASE("Testing a connection runs its type's test handler") {
    test_host host;
    plugin_under_test plugin(behaviours(), host);
    test_call good({.kind = SR_CALL_TEST_CONNECTION, .target = "api_key", .connection = R"({"key":"k"})"});
    test_call bad({.kind = SR_CALL_TEST_CONNECTION, .target = "api_key", .connection = R"({})"});
    test_call untestable({.kind = SR_CALL_TEST_CONNECTION, .target = "untestable"});
    REQUIRE(plugin.execute(good) == SR_OK);
    REQUIRE(plugin.execute(bad) == SR_OK);
    CHECK(host.result_of(good.get())->kind == SR_RESULT_SUCCESS);
    CHECK(host.result_of(bad.get())->error_code == "connection_invalid");
    CHECK(plugin.execute(untestable) == SR_ERR_UNSUPPORTED);
}

TEST_CASE("Migrating settings runs the action's migration with the old version") {
    test_host host;
    auto [status, result] = run(host, {.kind = SR_CALL_MIGRATE_SETTINGS,
                                       .target = "create_card",
                                       .settings = R"({"board":"b","column":"c"})",
                                       .from_version = "0.9.0"});
    REQUIRE(status == SR_OK);
    CHECK(result->output() == boost::json::parse(R"({"board":"b","list":"c"})"));
}

TEST_CASE("Migrating settings of an action without a migration is SR_ERR_UNSUPPORTED") {
    test_host host;
    auto [status, result] = run(host, {.kind = SR_CALL_MIGRATE_SETTINGS, .target = "retry"});
    CHECK(status == SR_ERR_UNSUPPORTED);
    CHECK_FALSE(result);
}

TEST_CASE("Polling a trigger passes the cursor and returns events with the next cursor") {
    test_host host;
    auto [status, result] = run(host, {.kind = SR_CALL_POLL_TRIGGER, .target = "new_items", .cursor = "41"});
    REQUIRE(status == SR_OK);
    CHECK(result->output() == boost::json::parse(R"({"events":[{"n":42}],"cursor":42})"));
}

TEST_CASE("A malformed cursor is refused with SR_ERR_INVALID_ARGUMENT") {
    test_host host;
    auto [status, result] = run(host, {.kind = SR_CALL_POLL_TRIGGER, .target = "new_items", .cursor = "{"});
    CHECK(status == SR_ERR_INVALID_ARGUMENT);
    CHECK_FALSE(result);
}

TEST_CASE("The generated manifest has the documented shape") {
    test_host host;
    plugin_under_test plugin(behaviours(), host);
    const auto m = boost::json::parse(plugin.manifest());
    CHECK(m.at("version") == "0.3.1-beta.2+build.5");
    const auto& api_key = m.at("connections").at(0);
    CHECK(api_key.at("id") == "api_key");
    CHECK(api_key.at("secret_fields") == boost::json::array{"key"});
    CHECK(api_key.at("testable") == true);
    CHECK(m.at("connections").at(1).at("testable") == false);
    const boost::json::value* card = nullptr;
    for (const auto& a : m.at("actions").as_array()) {
        if (a.at("id") == "create_card") card = &a;
    }
    REQUIRE(card != nullptr);
    CHECK(card->at("connection") == "api_key");
    CHECK(card->at("side_effects") == true);
    CHECK(card->at("outputs") == boost::json::parse(R"(["created","exists"])"));
    CHECK(card->at("dynamic_fields").at(0) == boost::json::parse(R"({"field":"list","type":"multi-select",
        "label":"List","depends_on":["connection","board"],"cache_ttl_s":60,"allow_custom":false})"));
    CHECK(card->at("compensation") == boost::json::parse(R"({"action":"delete_card","input":{"id":"{{output.id}}"}})"));
    CHECK(card->at("sample_output") == boost::json::parse(R"({"id":"c1"})"));
    const auto& trigger = m.at("triggers").at(0);
    CHECK(trigger.at("kind") == "polling");
    CHECK(trigger.at("poll_interval_s") == 30);
    CHECK_FALSE(trigger.as_object().contains("verification"));
}

TEST_CASE("Both versions of an action appear in the manifest, the old one deprecated") {
    test_host host;
    plugin_under_test plugin(behaviours(), host);
    const auto m = boost::json::parse(plugin.manifest());
    int versions = 0;
    for (const auto& a : m.at("actions").as_array()) {
        if (a.at("id") != "versioned") continue;
        ++versions;
        CHECK(a.at("deprecated") == (a.at("version") == 1));
    }
    CHECK(versions == 2);
}

TEST_CASE("A factory that throws fails init with SR_ERR_INIT_FAILED and logs why") {
    test_host host;
    CHECK(init_failure(sdk::plugin_entry<&make_throwing_factory>(), host).find("factory exploded") != std::string::npos);
}

TEST_CASE("A definition with a duplicate action fails init naming the action") {
    test_host host;
    CHECK(init_failure(sdk::plugin_entry<&make_duplicate_actions>(), host).find("'same'") != std::string::npos);
}

TEST_CASE("A malformed JSON Schema text fails init naming the schema") {
    test_host host;
    CHECK(init_failure(sdk::plugin_entry<&make_malformed_schema>(), host).find("settings_schema") != std::string::npos);
}

TEST_CASE("An action that does not declare side effects fails init") {
    test_host host;
    CHECK(init_failure(sdk::plugin_entry<&make_undeclared_side_effects>(), host).find("side_effects") != std::string::npos);
}

TEST_CASE("A dynamic field that is not a settings property fails init") {
    test_host host;
    CHECK(init_failure(sdk::plugin_entry<&make_unknown_dynamic_field>(), host).find("'y'") != std::string::npos);
}

TEST_CASE("A plugin version that is not semver fails init") {
    test_host host;
    CHECK(init_failure(sdk::plugin_entry<&make_bad_version>(), host).find("semver") != std::string::npos);
}

TEST_CASE("An action using an undeclared connection type fails init") {
    test_host host;
    CHECK(init_failure(sdk::plugin_entry<&make_undeclared_connection>(), host).find("'oauth'") != std::string::npos);
}

TEST_CASE("init refuses a host of another ABI major") {
    test_host host;
    sr_host other = *host.host();
    other.abi_major = 2;
    void* instance = nullptr;
    CHECK(behaviours()->init(&other, &instance) == SR_ERR_INVALID_ARGUMENT);
    CHECK(instance == nullptr);
}

TEST_CASE("execute refuses a call whose struct_size is too small") {
    test_host host;
    test_call call({.target = "retry"});
    sr_call small = *call.get();
    small.struct_size = offsetof(sr_call, from_version);
    void* instance = nullptr;
    REQUIRE(behaviours()->init(host.host(), &instance) == SR_OK);
    CHECK(behaviours()->execute(instance, &small) == SR_ERR_INVALID_ARGUMENT);
    behaviours()->deinit(instance);
}

TEST_CASE("A cancel racing a completion on another thread still completes the call exactly once") {
    test_host host;
    plugin_under_test plugin(behaviours(), host);
    std::vector<std::unique_ptr<test_call>> calls; // alive to the end: the host keys results by address
    for (int i = 0; i < 200; ++i) {
        const test_call& call = *calls.emplace_back(std::make_unique<test_call>(call_spec{.target = "parks"}));
        REQUIRE(plugin.execute(call) == SR_PENDING);
        std::optional<sdk::completion> done;
        {
            std::lock_guard lock(parked_mutex);
            done = std::move(parked);
            parked.reset();
        }
        std::thread completer([&] { (*done)(sdk::result::success(i)); });
        std::thread canceller([&] { plugin.cancel(call); });
        completer.join();
        canceller.join();
        REQUIRE(host.completions(call.get()) == 1);
    }
}

TEST_CASE("Calls executed on several threads at once each complete exactly once") {
    test_host host;
    plugin_under_test plugin(behaviours(), host);
    std::vector<std::unique_ptr<test_call>> calls;
    for (int i = 0; i < 400; ++i) {
        calls.push_back(std::make_unique<test_call>(call_spec{.target = "context", .input = "{\"i\":" + std::to_string(i) + "}"}));
    }
    std::vector<std::thread> threads;
    std::atomic<int> not_ok{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (std::size_t i = static_cast<std::size_t>(t); i < calls.size(); i += 4) {
                if (plugin.execute(*calls[i]) != SR_OK) ++not_ok;
            }
        });
    }
    for (auto& th : threads) th.join();
    CHECK(not_ok == 0);
    for (std::size_t i = 0; i < calls.size(); ++i) {
        REQUIRE(host.completions(calls[i]->get()) == 1);
        CHECK(host.result_of(calls[i]->get())->output().at("input").at("i") == static_cast<int64_t>(i));
    }
}
