#include "plugin_host.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <future>

#include "io_drain.hpp"
#include "test_paths.hpp"

namespace sr::test {

namespace json = boost::json;

plugin_host::plugin_host()
    : log_(SR_LOG_DEBUG,
           [this](std::string_view line) {
               std::lock_guard lock(mutex_);
               lines_ += line;
           }),
      guard_(boost::asio::make_work_guard(ioc_)), services_(ioc_, log_, nullptr),
      registry_(sr::host::load_plugins(plugin_dir(), services_)) {
    threads_.emplace_back([this] { ioc_.run(); });
    threads_.emplace_back([this] { ioc_.run(); });
}

plugin_host::~plugin_host() {
    // Threads first: an HTTP callback may still run plugin code just after completing.
    drain(ioc_, guard_, threads_);
    registry_ = sr::host::plugin_registry();
}

sr::core::call_outcome plugin_host::call(sr::core::call_request request) {
    const auto* wordpress = registry_.find("wordpress");
    REQUIRE(wordpress != nullptr);
    if (request.run_id.empty()) request.run_id = "run-1";
    if (request.node_id.empty()) request.node_id = "node-1";
    if (request.scope.empty()) request.scope = "scope-1";
    std::promise<sr::core::call_outcome> done;
    auto future = done.get_future();
    wordpress->instance->invoke(request, [&done](sr::core::call_outcome o) { done.set_value(std::move(o)); });
    REQUIRE(future.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
    return future.get();
}

sr::core::call_outcome plugin_host::action(const std::string& target, json::object settings,
                                           const json::object& connection) {
    sr::core::call_request r;
    r.kind = SR_CALL_ACTION;
    r.target = target;
    r.settings_json = json::serialize(settings);
    r.connection_json = json::serialize(connection);
    return call(std::move(r));
}

sr::core::call_outcome plugin_host::poll(const std::string& trigger, json::object settings,
                                         const json::object& connection, const json::value& cursor) {
    sr::core::call_request r;
    r.kind = SR_CALL_POLL_TRIGGER;
    r.target = trigger;
    r.settings_json = json::serialize(settings);
    r.connection_json = json::serialize(connection);
    r.cursor_json = json::serialize(cursor);
    return call(std::move(r));
}

sr::core::call_outcome plugin_host::options(const std::string& target, const std::string& field,
                                            json::object settings, const json::object& connection) {
    sr::core::call_request r;
    r.kind = SR_CALL_FIELD_OPTIONS;
    r.target = target;
    r.field = field;
    r.settings_json = json::serialize(settings);
    r.connection_json = json::serialize(connection);
    return call(std::move(r));
}

sr::core::call_outcome plugin_host::test_connection(const std::string& type, const json::object& connection) {
    sr::core::call_request r;
    r.kind = SR_CALL_TEST_CONNECTION;
    r.target = type;
    r.connection_json = json::serialize(connection);
    return call(std::move(r));
}

sr::core::call_outcome plugin_host::webhook(const std::string& trigger, const std::string& raw_body) {
    sr::core::call_request r;
    r.kind = SR_CALL_WEBHOOK;
    r.target = trigger;
    r.raw_body = raw_body;
    r.headers_json = R"({"content-type": "application/json"})";
    return call(std::move(r));
}

const json::value& plugin_host::manifest() const {
    const auto* wordpress = registry_.find("wordpress");
    REQUIRE(wordpress != nullptr);
    return wordpress->instance->manifest();
}

std::string plugin_host::log_text() {
    std::lock_guard lock(mutex_);
    return lines_;
}

json::value success_output(const sr::core::call_outcome& outcome) {
    INFO(outcome.error_code << ": " << outcome.error_message);
    REQUIRE(outcome.kind == SR_RESULT_SUCCESS);
    return json::parse(outcome.output_json);
}

} // namespace sr::test
