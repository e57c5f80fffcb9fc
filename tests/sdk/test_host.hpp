#pragma once
// A minimal sr_host for driving plugins in-process: log lines go into a vector, complete()
// records each call's result, get_service() offers nothing, is_cancelled() answers a flag.
// Only one test_host may exist at a time (complete() carries no host pointer).
#include <scenario/sr_plugin.h>

#include <boost/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sr::test {

// A copy of a string the plugin lent (empty for a null pointer).
std::string copy(sr_str s);

struct recorded_result {
    sr_result_kind kind = SR_RESULT_SUCCESS;
    std::string output_json, error_code, error_message;
    int64_t retry_after_ms = -1;
    int64_t resume_at_unix_ms = 0;
    boost::json::value output() const; // output_json parsed
};

struct log_line {
    sr_log_level level = SR_LOG_INFO;
    std::string message;
    bool with_call = false;
};

// The parts of a call; test_call turns them into an sr_call.
struct call_spec {
    sr_call_kind kind = SR_CALL_ACTION;
    std::string target{}, field{};
    std::string input = "{}", settings = "{}", connection{};
    std::string run_id = "run-1", node_id = "node-1", correlation_id = "corr-1";
    std::string idempotency_key = "idem-1", scope = "scope-1";
    std::string cursor = "null", raw_body{}, headers = "{}", from_version{};
    uint32_t attempt = 1;
    int64_t deadline_unix_ms = 0;
};

// Owns the strings an sr_call points at; neither copyable nor movable (the call's address
// identifies it).
class test_call {
public:
    explicit test_call(call_spec spec);
    test_call(const test_call&) = delete;
    test_call& operator=(const test_call&) = delete;
    const sr_call* get() const noexcept { return &call_; }

private:
    call_spec spec_;
    sr_call call_{};
};

class test_host {
public:
    test_host();
    ~test_host();
    test_host(const test_host&) = delete;
    test_host& operator=(const test_host&) = delete;

    const sr_host* host() const noexcept { return &host_; }
    std::vector<log_line> logs() const;
    int completions(const sr_call* call) const;
    std::optional<recorded_result> result_of(const sr_call* call) const;
    // Waits until `call` has completed, at most `timeout`.
    std::optional<recorded_result> wait_for(const sr_call* call, std::chrono::milliseconds timeout) const;
    void set_cancelled(bool cancelled);

private:
    static void on_log(const sr_host* host, const sr_call* call, sr_log_level level, sr_str message);
    static sr_status on_complete(const sr_call* call, const sr_result* result);
    static int32_t on_is_cancelled(const sr_call* call);
    static const void* on_get_service(const sr_host* host, const char* id);

    sr_host host_{};
    mutable std::mutex mutex_;
    mutable std::condition_variable completed_;
    std::vector<log_line> logs_;
    std::map<const sr_call*, std::vector<recorded_result>> results_;
    bool cancelled_ = false;
};

// A plugin instance initialised on a test_host, deinitialised on destruction.
class plugin_under_test {
public:
    plugin_under_test(const sr_plugin_entry* entry, test_host& host);
    ~plugin_under_test();
    plugin_under_test(const plugin_under_test&) = delete;
    plugin_under_test& operator=(const plugin_under_test&) = delete;

    std::string manifest() const;
    sr_str raw_manifest() const;
    sr_status execute(const test_call& call) const;
    void cancel(const test_call& call) const;

private:
    const sr_plugin_entry* entry_;
    void* instance_ = nullptr;
};

} // namespace sr::test
