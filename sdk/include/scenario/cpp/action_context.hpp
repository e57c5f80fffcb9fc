#pragma once
// What a handler sees of its call: the parsed input, settings and connection, the run's
// identifiers, the trigger/webhook/field/migration extras, logging, cancellation and the
// host services. Cheap to copy (it shares the call's state), so an asynchronous handler can
// capture it in its callbacks; it stays usable after the call completed (logging is then
// attributed to the plugin only, and services answer SR_ERR_ALREADY_COMPLETED).
#include <scenario/cpp/detail/call_state.hpp>
#include <scenario/cpp/http_client.hpp>
#include <scenario/cpp/kv_store.hpp>

#include <boost/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace sr::sdk {

enum class log_level : int32_t {
    debug = SR_LOG_DEBUG,
    info = SR_LOG_INFO,
    warn = SR_LOG_WARN,
    error = SR_LOG_ERROR,
};

class action_context {
public:
    explicit action_context(std::shared_ptr<detail::call_state> state) noexcept : state_(std::move(state)) {}

    sr_call_kind kind() const noexcept { return data().kind; }
    const std::string& target() const noexcept { return data().target; }

    const boost::json::object& input() const noexcept { return data().input; }
    const boost::json::object& settings() const noexcept { return data().settings; }
    // Decrypted credentials: never log them or put them in output or error messages.
    const boost::json::object& connection() const noexcept { return data().connection; }
    bool has_connection() const noexcept { return data().has_connection; }

    const std::string& run_id() const noexcept { return data().run_id; }
    const std::string& node_id() const noexcept { return data().node_id; }
    const std::string& correlation_id() const noexcept { return data().correlation_id; }
    // Stable across retries of this node in this run: forward it to services that honour one.
    const std::string& idempotency_key() const noexcept { return data().idempotency_key; }
    const std::string& scope() const noexcept { return data().scope; }
    uint32_t attempt() const noexcept { return data().attempt; }
    int64_t deadline_unix_ms() const noexcept { return data().deadline_unix_ms; }
    // Milliseconds left before the deadline (negative when passed); -1 without a deadline.
    int64_t remaining_ms() const noexcept {
        if (data().deadline_unix_ms == 0) return -1;
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        return data().deadline_unix_ms - static_cast<int64_t>(now);
    }

    // Poll trigger: the last cursor (null at first).
    const boost::json::value& cursor() const noexcept { return data().cursor; }
    // Webhook: the request body as received and its headers (lower-case names).
    const std::string& raw_body() const noexcept { return data().raw_body; }
    const boost::json::object& headers() const noexcept { return data().headers; }
    // A webhook header by lower-case name, or null.
    const boost::json::string* header(std::string_view name) const noexcept {
        const auto* value = data().headers.if_contains(name);
        return value == nullptr ? nullptr : value->if_string();
    }
    // Field options: the dynamic field asked for.
    const std::string& field() const noexcept { return data().field; }
    // Settings migration: the plugin version the settings were saved under.
    const std::string& from_version() const noexcept { return data().from_version; }

    void log(log_level level, std::string_view message) const noexcept {
        state_->log(static_cast<sr_log_level>(level), message);
    }
    void debug(std::string_view message) const noexcept { log(log_level::debug, message); }
    void info(std::string_view message) const noexcept { log(log_level::info, message); }
    void warn(std::string_view message) const noexcept { log(log_level::warn, message); }
    void error(std::string_view message) const noexcept { log(log_level::error, message); }

    // True once the host wants the call abandoned (or it has already completed).
    bool cancelled() const noexcept { return state_->cancelled(); }
    // `handler` runs when the host cancels the call and must make sure it completes.
    // Without one, a cancel completes the call as a fatal "cancelled".
    void on_cancel(unique_function<void()> handler) const { state_->on_cancel(std::move(handler)); }

    http_client http() const noexcept { return http_client(state_); }
    kv_store kv() const noexcept { return kv_store(state_); }

private:
    const detail::call_data& data() const noexcept { return state_->data(); }

    std::shared_ptr<detail::call_state> state_;
};

} // namespace sr::sdk
