#pragma once
// The host's side of what plugins may use: log lines, the sr.http/1 table (backed by
// http_client) and the sr.kv/1 table (backed by db_pool, table plugin_state). Callbacks always
// run on an io_context thread, never inside the function that accepted the work.
#include "http/http_client.hpp"
#include "services/json_log.hpp"

#include "sr/core/plugin/call_context.hpp"
#include "sr/core/plugin/cancel_signal.hpp"
#include "sr/core/plugin/service_provider.hpp"

#include <atomic>
#include <functional>
#include <cstdint>
#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}

namespace sr::host {

class db_pool;

// What the services need to know about the call they work for; copied out of the
// call_context when a request is accepted, because the call may end before the callback.
struct service_call {
    std::string plugin_id, scope, run_id, node_id, correlation_id;
    std::shared_ptr<core::cancel_signal> cancel; // may be null
    std::int64_t deadline_unix_ms = 0;           // 0: none
    // Keeps the plugin loaded until the callback has returned; empty when no plugin is behind
    // the call (host code, tests). A callback for an abandoned instance is dropped.
    core::instance_hold hold{};

    static service_call from(const core::call_context& ctx);
};

class host_services final : public core::service_provider {
public:
    // `db` may be null: there is then no sr.kv/1. `ioc`, `log` and `db` must outlive this
    // object, and `ioc` must run while requests are in flight. The C tables find the services
    // through the call (call_context::services()), never through a process-wide pointer.
    // Only one host_services may exist at a time in a process (a second throws
    // std::logic_error): nothing depends on that any more; it stays until the test asserting it
    // (tests/http/services_test.cpp) is changed.
    host_services(boost::asio::io_context& ioc, json_log& log, db_pool* db,
                  http_client_config http = {});
    ~host_services() override;
    host_services(const host_services&) = delete;
    host_services& operator=(const host_services&) = delete;

    void log(const std::string& plugin_id, const core::call_context* call, sr_log_level level,
             std::string_view message) noexcept override;
    const void* find_service(std::string_view service_id) noexcept override;

    // The work behind the C tables, reachable without an sr_call (tests, host code). Same
    // contract as the table functions in sr_plugin.h.
    sr_status http_request(const service_call& call, const sr_http_request* request,
                           sr_http_callback callback, void* user_data) noexcept;
    sr_status kv_get(const service_call& call, sr_str key, sr_kv_get_callback callback,
                     void* user_data) noexcept;
    sr_status kv_put(const service_call& call, sr_str key, sr_str value_json,
                     sr_kv_done_callback callback, void* user_data) noexcept;
    sr_status kv_remove(const service_call& call, sr_str key, sr_kv_done_callback callback,
                        void* user_data) noexcept;

    http_client& client() noexcept { return client_; }

    // Also hands every line a plugin logs during a run's call (secrets already masked) to
    // `sink`, whatever the log level, so the run's record can keep it (run_logs). Set before
    // plugins run; the sink must be thread-safe and must not throw.
    using run_log_sink = std::function<void(std::string_view run_id, std::string_view node_id, sr_log_level level,
                                            std::string_view message)>;
    void set_run_log_sink(run_log_sink sink) { run_log_sink_ = std::move(sink); }

    static constexpr std::size_t max_key_bytes = 512;
    static constexpr std::size_t max_value_bytes = 1024 * 1024;

private:
    boost::asio::io_context& ioc_;
    json_log& log_;
    db_pool* db_;
    http_client client_;
    run_log_sink run_log_sink_;

    static std::atomic<host_services*> active_;
};

} // namespace sr::host
