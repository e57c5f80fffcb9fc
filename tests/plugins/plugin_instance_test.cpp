// plugin_instance: the ABI handshake, init/deinit and calls, against the demo fixture plugin
// linked in statically (its sr_plugin_entry_v1 is this binary's).
#include <catch2/catch.hpp>

#include <atomic>
#include <cstring>
#include <future>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "recording_services.hpp"
#include "sr/core/plugin/plugin_instance.hpp"
#include "sr/core/plugin/status_name.hpp"

extern "C" const sr_plugin_entry* sr_plugin_entry_v1(void);

using namespace sr;
using sr::test::outcome_catcher;
using sr::test::recording_services;

namespace {

const char* const file = "/plugins/demo.so";

// Counts the plugin's init/deinit while forwarding to the demo's own.
std::atomic<int> init_calls{0}, deinit_calls{0};
sr_status counting_init(const sr_host* host, void** out) {
    ++init_calls;
    return sr_plugin_entry_v1()->init(host, out);
}
void counting_deinit(void* instance) {
    ++deinit_calls;
    sr_plugin_entry_v1()->deinit(instance);
}

// The demo's entry with counting init/deinit; tests then break one field of it.
sr_plugin_entry demo_entry() {
    init_calls = 0;
    deinit_calls = 0;
    sr_plugin_entry e = *sr_plugin_entry_v1();
    e.init = counting_init;
    e.deinit = counting_deinit;
    return e;
}

std::string refusal(const sr_plugin_entry* entry, recording_services& services) {
    try {
        core::plugin_instance::create(entry, file, services);
    } catch (const core::plugin_refused& e) {
        CHECK(e.file() == file);
        return e.what();
    }
    FAIL("the plugin was accepted");
    return {};
}

// Manifest replacements for refusal tests.
const char* manifest_text = "";
sr_str fake_manifest(void*) { return sr_str{manifest_text, std::strlen(manifest_text)}; }

std::string refusal_for_manifest(const char* text, recording_services& services) {
    auto entry = demo_entry();
    entry.manifest = fake_manifest;
    manifest_text = text;
    return refusal(&entry, services);
}

core::call_request action(std::string target, std::string input = "{}") {
    core::call_request r;
    r.target = std::move(target);
    r.input_json = std::move(input);
    return r;
}

struct fixture {
    recording_services services;
    std::shared_ptr<core::plugin_instance> demo = core::plugin_instance::create(sr_plugin_entry_v1(), file, services);

    core::call_outcome run(core::call_request request) {
        outcome_catcher catcher;
        demo->invoke(std::move(request), catcher.handler());
        return catcher.get();
    }
};

boost::json::value parse(const std::string& s) { return boost::json::parse(s); }

} // namespace

// ---- handshake ------------------------------------------------------------------------

TEST_CASE("an entry built for ABI major 2 is refused before init, naming the file and both majors") {
    recording_services services;
    auto entry = demo_entry();
    entry.abi_major = 2;
    auto reason = refusal(&entry, services);
    CHECK(reason == std::string(file) + ": built for ABI 2, host speaks 1");
    CHECK(init_calls == 0);
}

TEST_CASE("an entry needing a newer ABI minor than the host's is refused before init") {
    recording_services services;
    auto entry = demo_entry();
    entry.abi_minor = SR_ABI_MINOR + 3;
    auto reason = refusal(&entry, services);
    CHECK(reason == fmt::format("{}: needs ABI 1.{}, host has 1.{}", file, SR_ABI_MINOR + 3, SR_ABI_MINOR));
    CHECK(init_calls == 0);
}

TEST_CASE("an entry whose struct_size does not cover the ABI 1.0 fields is refused before init") {
    recording_services services;
    auto entry = demo_entry();
    entry.struct_size = offsetof(sr_plugin_entry, cancel);
    auto reason = refusal(&entry, services);
    CHECK_THAT(reason, Catch::Contains(file) && Catch::Contains("struct_size is " + std::to_string(entry.struct_size)));
    CHECK(init_calls == 0);
}

TEST_CASE("an entry too small to hold its own version is refused as too small") {
    recording_services services;
    auto entry = demo_entry();
    entry.struct_size = 4;
    CHECK_THAT(refusal(&entry, services), Catch::Contains("struct_size is 4 bytes"));
}

TEST_CASE("a null entry is refused") {
    recording_services services;
    CHECK_THAT(refusal(nullptr, services), Catch::Contains("returned NULL"));
}

TEST_CASE("an entry without an execute function is refused before init") {
    recording_services services;
    auto entry = demo_entry();
    entry.execute = nullptr;
    CHECK_THAT(refusal(&entry, services), Catch::Contains("lacks one of init, deinit, manifest or execute"));
    CHECK(init_calls == 0);
}

namespace {
sr_status failing_init(const sr_host*, void**) { return SR_ERR_INIT_FAILED; }
} // namespace

TEST_CASE("a failing init refuses the plugin with the status name and deinit is not called") {
    recording_services services;
    auto entry = demo_entry();
    entry.init = failing_init;
    CHECK(refusal(&entry, services) == std::string(file) + ": init failed: init_failed");
    CHECK(deinit_calls == 0);
}

TEST_CASE("a manifest that is not JSON is refused and the instance is deinitialised") {
    recording_services services;
    auto reason = refusal_for_manifest("{\"id\": \"demo\", ", services);
    CHECK_THAT(reason, Catch::StartsWith(std::string(file) + ": manifest is not valid JSON"));
    CHECK(init_calls == 1);
    CHECK(deinit_calls == 1);
}

TEST_CASE("an empty manifest is refused") {
    recording_services services;
    CHECK_THAT(refusal_for_manifest("", services), Catch::Contains("empty manifest"));
    CHECK(deinit_calls == 1);
}

TEST_CASE("a manifest that is a JSON array is refused") {
    recording_services services;
    CHECK_THAT(refusal_for_manifest("[1,2]", services), Catch::Contains("not a JSON object"));
}

TEST_CASE("a manifest without a string id is refused") {
    recording_services services;
    CHECK_THAT(refusal_for_manifest(R"({"id": 5, "version": "1.0.0"})", services), Catch::Contains("no string \"id\""));
}

TEST_CASE("a manifest without a string version is refused") {
    recording_services services;
    CHECK_THAT(refusal_for_manifest(R"({"id": "demo"})", services), Catch::Contains("no string \"version\""));
}

TEST_CASE("an accepted plugin exposes its id, version, ABI and manifest") {
    fixture f;
    CHECK(f.demo->id() == "demo");
    CHECK(f.demo->version() == "1.0.0");
    CHECK(f.demo->abi_major() == 1);
    CHECK(f.demo->abi_minor() == SR_ABI_MINOR);
    CHECK(f.demo->file() == file);
    CHECK(f.demo->manifest().at("name") == "Demo");
    CHECK(parse(f.demo->manifest_text()) == f.demo->manifest());
}

TEST_CASE("destroying an instance calls deinit once") {
    recording_services services;
    auto entry = demo_entry();
    auto instance = core::plugin_instance::create(&entry, file, services);
    CHECK(deinit_calls == 0);
    instance.reset();
    CHECK(deinit_calls == 1);
}

TEST_CASE("status_name gives a distinct snake_case name to every status") {
    std::set<std::string_view> names;
    for (sr_status s = SR_OK; s <= SR_ERR_INIT_FAILED; ++s) {
        auto name = core::status_name(s);
        CHECK(name != "unknown_status");
        CHECK(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string_view::npos);
        names.insert(name);
    }
    CHECK(names.size() == SR_ERR_INIT_FAILED + 1);
    CHECK(core::status_name(SR_ERR_UNKNOWN_TARGET) == "unknown_target");
    CHECK(core::status_name(99) == "unknown_status");
    CHECK(core::status_name(-1) == "unknown_status");
}

// ---- calls ----------------------------------------------------------------------------

TEST_CASE("a synchronous action completes with the plugin's output") {
    fixture f;
    outcome_catcher catcher;
    f.demo->invoke(action("echo", R"({"a": [1, 2]})"), catcher.handler());
    REQUIRE(catcher.ready()); // completed inside invoke
    auto o = catcher.get();
    CHECK(o.kind == SR_RESULT_SUCCESS);
    CHECK(parse(o.output_json) == parse(R"({"a": [1, 2]})"));
    CHECK(o.error_code.empty());
    CHECK(o.retry_after_ms == -1);
    CHECK(f.demo->calls_in_flight() == 0);
}

TEST_CASE("an asynchronous action completes later from a plugin thread") {
    fixture f;
    std::promise<std::pair<core::call_outcome, std::thread::id>> promise;
    auto future = promise.get_future();
    f.demo->invoke(action("async_echo", R"({"n": 7})"), [&](core::call_outcome o) {
        promise.set_value({std::move(o), std::this_thread::get_id()});
    });
    REQUIRE(future.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
    auto [o, thread] = future.get();
    CHECK(o.kind == SR_RESULT_SUCCESS);
    CHECK(parse(o.output_json) == parse(R"({"n": 7})"));
    CHECK(thread != std::this_thread::get_id());
}

TEST_CASE("many asynchronous calls in parallel each complete once with their own input") {
    fixture f;
    std::vector<outcome_catcher> catchers(40);
    for (std::size_t i = 0; i < catchers.size(); ++i)
        f.demo->invoke(action("async_echo", std::to_string(i)), catchers[i].handler());
    for (std::size_t i = 0; i < catchers.size(); ++i) {
        CHECK(catchers[i].get().output_json == std::to_string(i));
        CHECK(catchers[i].calls() == 1);
    }
}

TEST_CASE("cancels racing with completions on plugin threads end each call exactly once") {
    fixture f;
    std::vector<outcome_catcher> catchers(200);
    for (std::size_t i = 0; i < catchers.size(); ++i)
        f.demo->invoke(action("async_now", std::to_string(i)), catchers[i].handler())->cancel();
    for (std::size_t i = 0; i < catchers.size(); ++i) {
        CHECK(catchers[i].get().output_json == std::to_string(i)); // async_now ignores cancel
        CHECK(catchers[i].calls() == 1);
    }
    f.demo.reset(); // joins the plugin's threads in deinit
}

TEST_CASE("an execute error becomes a fatal plugin_error naming the status") {
    fixture f;
    auto o = f.run(action("unsupported"));
    CHECK(o.kind == SR_RESULT_FATAL_ERROR);
    CHECK(o.error_code == "plugin_error");
    CHECK_THAT(o.error_message, Catch::Contains("unsupported") && Catch::Contains("demo"));
    CHECK(o.output_json == "null");
    CHECK(f.demo->calls_in_flight() == 0);
}

TEST_CASE("an unknown action becomes a plugin_error naming unknown_target") {
    fixture f;
    auto o = f.run(action("no_such_action"));
    CHECK(o.error_code == "plugin_error");
    CHECK_THAT(o.error_message, Catch::Contains("unknown_target") && Catch::Contains("no_such_action"));
}

TEST_CASE("execute returning ok without completing becomes a plugin_error") {
    fixture f;
    auto o = f.run(action("ok_without_complete"));
    CHECK(o.error_code == "plugin_error");
    CHECK_THAT(o.error_message, Catch::Contains("without completing"));
}

TEST_CASE("output that is not JSON becomes a fatal plugin_bad_output") {
    fixture f;
    auto o = f.run(action("bad_output"));
    CHECK(o.kind == SR_RESULT_FATAL_ERROR);
    CHECK(o.error_code == "plugin_bad_output");
    CHECK(o.output_json == "null");
}

TEST_CASE("a result kind outside the enum becomes a fatal plugin_bad_result") {
    fixture f;
    auto o = f.run(action("bad_kind"));
    CHECK(o.kind == SR_RESULT_FATAL_ERROR);
    CHECK(o.error_code == "plugin_bad_result");
    CHECK_THAT(o.error_message, Catch::Contains("42"));
}

TEST_CASE("a second complete returns already_completed and the first result stands") {
    fixture f;
    outcome_catcher catcher;
    f.demo->invoke(action("double_complete"), catcher.handler());
    CHECK(catcher.get().output_json == "1");
    CHECK(catcher.calls() == 1);
    CHECK(f.services.logged("demo", "second complete returned " + std::to_string(SR_ERR_ALREADY_COMPLETED)));
}

TEST_CASE("a retryable error keeps its code, message and retry-after") {
    fixture f;
    auto o = f.run(action("retryable"));
    CHECK(o.kind == SR_RESULT_RETRYABLE_ERROR);
    CHECK(o.error_code == "rate_limited");
    CHECK(o.error_message == "slow down");
    CHECK(o.retry_after_ms == 1500);
    CHECK(o.output_json == "null");
}

TEST_CASE("a result shorter than sr_result is read only up to its struct_size") {
    fixture f;
    auto o = f.run(action("partial_result"));
    CHECK(o.kind == SR_RESULT_SUCCESS);
    CHECK(parse(o.output_json) == parse(R"({"partial": true})"));
    CHECK(o.error_code.empty());
    CHECK(o.retry_after_ms == -1);
    CHECK(o.resume_at_unix_ms == 0);
    CHECK(o.route_json.empty());
}

TEST_CASE("a route chosen by the plugin is kept") {
    fixture f;
    auto o = f.run(action("route"));
    CHECK(o.kind == SR_RESULT_SUCCESS);
    CHECK(parse(o.route_json) == parse(R"(["true"])"));
    CHECK(f.run(action("echo")).route_json.empty());
}

TEST_CASE("a route that is not an array of output ids becomes a fatal plugin_bad_result") {
    fixture f;
    auto o = f.run(action("bad_route"));
    CHECK(o.kind == SR_RESULT_FATAL_ERROR);
    CHECK(o.error_code == "plugin_bad_result");
    CHECK_THAT(o.error_message, Catch::Contains("route_json"));
}

TEST_CASE("cancelling a pending call reaches the plugin, which sees is_cancelled") {
    fixture f;
    outcome_catcher catcher;
    auto signal = f.demo->invoke(action("wait_cancel"), catcher.handler());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE_FALSE(catcher.ready());
    signal->cancel();
    auto o = catcher.get();
    CHECK(o.kind == SR_RESULT_FATAL_ERROR);
    CHECK(o.error_code == "cancelled");
    CHECK(o.error_message == "cancelled (is_cancelled=1)");
    CHECK(f.services.logged("demo", "cancel received"));
    signal->cancel(); // a second cancel does nothing
    CHECK(catcher.calls() == 1);
}

TEST_CASE("cancelling a call that already completed does not reach the plugin") {
    fixture f;
    outcome_catcher catcher;
    auto signal = f.demo->invoke(action("echo"), catcher.handler());
    REQUIRE(catcher.ready());
    signal->cancel();
    CHECK(signal->cancelled());
    CHECK_FALSE(f.services.logged("demo", "cancel called"));
}

TEST_CASE("plugin log lines carry the plugin id and the call's context") {
    fixture f;
    auto request = action("log");
    request.run_id = "run-42";
    auto o = f.run(request);
    CHECK(o.output_json == "null");
    auto lines = f.services.lines();
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].plugin_id == "demo");
    CHECK(lines[0].has_call);
    CHECK(lines[0].run_id == "run-42");
    CHECK(lines[0].message == "hello run-42");
    CHECK(lines[0].level == SR_LOG_INFO);
}

TEST_CASE("get_service forwards the lookup to the service provider") {
    fixture f;
    auto o = f.run(action("services"));
    CHECK(parse(o.output_json) == parse(R"({"marker": true, "missing": false})"));
}

TEST_CASE("destroying an instance waits for calls in flight, then calls deinit") {
    fixture f;
    outcome_catcher catcher;
    f.demo->invoke(action("async_echo", "3"), catcher.handler());
    f.demo.reset();
    REQUIRE(catcher.ready()); // the destructor waited for the plugin's thread to complete it
    CHECK(catcher.get().output_json == "3");
    CHECK(f.services.logged("demo", "deinit"));
}

TEST_CASE("destroying an instance cancels the calls still waiting") {
    fixture f;
    outcome_catcher catcher;
    f.demo->invoke(action("wait_cancel"), catcher.handler());
    f.demo.reset();
    REQUIRE(catcher.ready());
    CHECK(catcher.get().error_code == "cancelled");
}

namespace {
// A plugin that never completes on its own: it keeps the call for the test to finish.
const sr_host* stuck_host = nullptr;
const sr_call* stuck_call = nullptr;
sr_status stuck_init(const sr_host* host, void** out) {
    stuck_host = host;
    *out = nullptr;
    return SR_OK;
}
void stuck_deinit(void*) { ++deinit_calls; }
sr_str stuck_manifest(void*) {
    static const char text[] = R"({"id": "stuck", "version": "1.0.0"})";
    return sr_str{text, sizeof text - 1};
}
sr_status stuck_execute(void*, const sr_call* call) {
    stuck_call = call;
    return SR_PENDING;
}
} // namespace

TEST_CASE("an instance whose calls never finish skips deinit after the drain timeout") {
    recording_services services;
    sr_plugin_entry entry{sizeof(sr_plugin_entry), SR_ABI_MAJOR, SR_ABI_MINOR, stuck_init, stuck_deinit,
                          stuck_manifest, stuck_execute, nullptr};
    deinit_calls = 0;
    auto instance = core::plugin_instance::create(&entry, file, services);
    instance->set_drain_timeout(std::chrono::milliseconds(50));
    outcome_catcher catcher;
    instance->invoke(action("anything"), catcher.handler());
    instance.reset();
    CHECK(deinit_calls == 0);
    CHECK(services.logged("stuck", "1 call(s) still running 50 ms after cancel; deinit skipped"));

    // The late completion still reaches its handler: the call's state outlived the instance.
    sr_result result{};
    result.struct_size = sizeof result;
    result.kind = SR_RESULT_SUCCESS;
    result.output_json = sr_str{"7", 1};
    CHECK(stuck_host->complete(stuck_call, &result) == SR_OK);
    CHECK(catcher.get().output_json == "7");
}

TEST_CASE("a completion handler that throws does not escape into the plugin") {
    fixture f;
    f.demo->invoke(action("echo"), [](core::call_outcome) { throw std::runtime_error("handler broke"); });
    CHECK(f.services.logged("demo", "handler broke"));
    CHECK(f.demo->calls_in_flight() == 0);
}

// ---- call_context and cancel_signal -------------------------------------------------------

TEST_CASE("a call context reports should_stop once its deadline has passed") {
    core::call_request past;
    past.deadline_unix_ms = 1;
    core::call_context expired(past, "demo", std::make_shared<core::cancel_signal>());
    CHECK(expired.should_stop());

    core::call_request none;
    core::call_context open(none, "demo", std::make_shared<core::cancel_signal>());
    CHECK_FALSE(open.should_stop());
    open.cancel_token()->cancel();
    CHECK(open.should_stop());
}

TEST_CASE("call_context::from of a null call is null") { CHECK(core::call_context::from(nullptr) == nullptr); }

TEST_CASE("a cancel signal runs each subscriber once, and late subscribers at once") {
    core::cancel_signal signal;
    int early = 0, late = 0;
    signal.subscribe([&] { ++early; });
    CHECK_FALSE(signal.cancelled());
    signal.cancel();
    signal.cancel();
    CHECK(signal.cancelled());
    CHECK(early == 1);
    signal.subscribe([&] { ++late; });
    CHECK(late == 1);
}
