#pragma once
// The plugin-side state of one call: an owning, parsed copy of what the host sent, and the
// one place that completes the call. The action_context, the completion handle and pending
// HTTP/KV callbacks all share it, so whichever finishes first completes the call and every
// later attempt is ignored instead of touching a call the host has already freed.
#include <scenario/cpp/detail/c_strings.hpp>
#include <scenario/cpp/result.hpp>
#include <scenario/cpp/unique_function.hpp>

#include <boost/json.hpp>

#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

namespace sr::sdk::detail {

// The host table and the optional services found at init; valid until deinit.
struct host_services {
    const sr_host* host = nullptr;
    const sr_http_v1* http = nullptr;
    const sr_kv_v1* kv = nullptr;

    void log(const sr_call* call, sr_log_level level, std::string_view message) const noexcept {
        if (host != nullptr && host->log != nullptr) host->log(host, call, level, borrow(message));
    }
};

// What the call carried, copied and parsed once so handlers may keep it after completion.
struct call_data {
    sr_call_kind kind = SR_CALL_ACTION;
    std::string target, field, run_id, node_id, correlation_id, idempotency_key, scope;
    std::string raw_body, from_version;
    boost::json::object input, settings, connection, headers;
    bool has_connection = false;
    boost::json::value cursor;
    uint32_t attempt = 1;
    int64_t deadline_unix_ms = 0;
};

class call_state {
public:
    call_state(const host_services& services, const sr_call* call, call_data data)
        : services_(services), call_(call), data_(std::move(data)) {}
    call_state(const call_state&) = delete;
    call_state& operator=(const call_state&) = delete;

    const call_data& data() const noexcept { return data_; }
    const host_services& services() const noexcept { return services_; }
    bool completed() const noexcept { return completed_.load(std::memory_order_acquire); }

    // True once host->complete() has returned for this call.
    bool settled() const noexcept { return settled_.load(std::memory_order_acquire); }

    // Runs when the call completes, before the host is told (the runtime forgets the call
    // there, so a cancel arriving later cannot reach a recycled sr_call address).
    void on_finished(std::function<void()> fn) { on_finished_ = std::move(fn); }

    // Completes the call with `r`; false when it was already completed.
    bool complete(const result& r) noexcept {
        std::string output, route;
        try {
            output = boost::json::serialize(r.output());
            route = r.route_json();
        } catch (...) {
            return complete_error(SR_RESULT_FATAL_ERROR, "plugin_exception",
                                  "the plugin's result could not be serialized");
        }
        sr_result c{};
        c.struct_size = sizeof(sr_result);
        c.kind = r.kind();
        c.output_json = borrow(output);
        c.error_code = borrow(r.code());
        c.error_message = borrow(r.message());
        c.retry_after_ms = r.retry_after_ms();
        c.resume_at_unix_ms = r.resume_at_unix_ms();
        c.route_json = borrow(route); // empty: follow every success edge
        return finish(c);
    }

    // Completes with an error without allocating (usable when memory is the problem).
    bool complete_error(sr_result_kind kind, std::string_view code, std::string_view message) noexcept {
        sr_result c{};
        c.struct_size = sizeof(sr_result);
        c.kind = kind;
        c.output_json = borrow("null");
        c.error_code = borrow(code);
        c.error_message = borrow(message);
        c.retry_after_ms = -1;
        c.resume_at_unix_ms = 0;
        c.route_json = sr_str{nullptr, 0};
        return finish(c);
    }

    bool complete_exception(const char* what) noexcept {
        try {
            std::string message = "'" + data_.target + "' threw an exception: " + what;
            return complete_error(SR_RESULT_FATAL_ERROR, "plugin_exception", message);
        } catch (...) {
            return complete_error(SR_RESULT_FATAL_ERROR, "plugin_exception", "the plugin threw an exception");
        }
    }

    bool complete_dropped() noexcept {
        return complete_error(SR_RESULT_FATAL_ERROR, "plugin_dropped_call",
                              "the plugin released the call without completing it");
    }

    // Runs f(call) while the call is still open, so the host never sees a freed call;
    // SR_ERR_ALREADY_COMPLETED otherwise.
    template <class F>
    sr_status with_open_call(F&& f) noexcept {
        std::unique_lock<std::mutex> lock;
        if (!lock_open(lock)) return SR_ERR_ALREADY_COMPLETED;
        return std::forward<F>(f)(call_);
    }

    void log(sr_log_level level, std::string_view message) noexcept {
        std::unique_lock<std::mutex> lock;
        // Once completed, the line is attributed to the plugin only.
        services_.log(lock_open(lock) ? call_ : nullptr, level, message);
    }

    bool cancelled() noexcept {
        std::unique_lock<std::mutex> lock;
        if (!lock_open(lock) || cancel_requested_) return true;
        const sr_host* host = services_.host;
        return host->is_cancelled != nullptr && host->is_cancelled(call_) != 0;
    }

    // The handler runs when the host cancels (at once if it already has); it must see to it
    // that the call completes. Without one, a cancel completes the call as "cancelled".
    void on_cancel(unique_function<void()> handler) {
        bool run_now = false;
        {
            std::unique_lock<std::mutex> lock;
            if (!lock_open(lock)) return;
            run_now = cancel_requested_;
            if (!run_now) cancel_handler_ = std::move(handler);
        }
        if (run_now && handler) handler();
    }

    // entry.cancel() for this call.
    void cancel() noexcept;

    // Set by a completion handle destroyed during stack unwinding inside run_guarded(): the
    // exception will be reported as plugin_exception instead of plugin_dropped_call.
    std::atomic<bool> drop_deferred{false};

private:
    // Locks the state while the call is open. Never waits for a completion in progress: that
    // one holds the mutex inside host->complete(), which may itself wait for a lock the host
    // holds while calling us (say, around cancel()); seeing `completed_` we give up instead.
    bool lock_open(std::unique_lock<std::mutex>& lock) noexcept {
        lock = std::unique_lock<std::mutex>(mutex_, std::defer_lock);
        while (!lock.try_lock()) {
            if (completed_.load(std::memory_order_acquire)) return false;
            std::this_thread::yield();
        }
        if (call_ != nullptr) return true;
        lock.unlock();
        return false;
    }

    bool finish(const sr_result& c) noexcept {
        std::unique_lock<std::mutex> lock;
        if (!lock_open(lock)) return false;
        const sr_call* call = call_;
        call_ = nullptr;
        completed_.store(true, std::memory_order_release);
        cancel_handler_ = nullptr;
        if (on_finished_) {
            try {
                on_finished_();
            } catch (...) {
            }
        }
        services_.host->complete(call, &c);
        settled_.store(true, std::memory_order_release);
        return true;
    }

    host_services services_;
    mutable std::mutex mutex_;
    const sr_call* call_; // null once completed: the host has freed it
    std::atomic<bool> completed_{false}; // set when a completion starts
    std::atomic<bool> settled_{false};   // set when host->complete() has returned
    bool cancel_requested_ = false;
    unique_function<void()> cancel_handler_;
    std::function<void()> on_finished_;
    call_data data_;
};

// The call whose plugin code is running on this thread inside run_guarded().
inline thread_local call_state* current_call = nullptr;

class call_scope {
public:
    explicit call_scope(call_state* state) noexcept : previous_(current_call) { current_call = state; }
    ~call_scope() { current_call = previous_; }
    call_scope(const call_scope&) = delete;
    call_scope& operator=(const call_scope&) = delete;

private:
    call_state* previous_;
};

// Runs plugin code for `state` so that nothing escapes: an exception completes the call as
// plugin_exception (if still open); a completion handle dropped on the way completes it as
// plugin_dropped_call.
template <class F>
void run_guarded(call_state& state, F&& f) noexcept {
    call_scope scope(&state);
    try {
        std::forward<F>(f)();
    } catch (const std::exception& e) {
        state.complete_exception(e.what());
        return;
    } catch (...) {
        state.complete_exception("unknown exception type");
        return;
    }
    if (state.drop_deferred.exchange(false)) state.complete_dropped();
}

inline void call_state::cancel() noexcept {
    unique_function<void()> handler;
    {
        std::unique_lock<std::mutex> lock;
        if (!lock_open(lock) || cancel_requested_) return;
        cancel_requested_ = true;
        handler = std::move(cancel_handler_);
        cancel_handler_ = nullptr;
    }
    if (handler) {
        run_guarded(*this, handler);
    } else {
        complete_error(SR_RESULT_FATAL_ERROR, "cancelled", "the host cancelled the call");
    }
}

} // namespace sr::sdk::detail
