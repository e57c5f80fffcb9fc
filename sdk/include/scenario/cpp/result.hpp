#pragma once
// How an action (or any other call) ends: the C++ face of sr_result.
#include <scenario/sr_plugin.h>

#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <utility>

namespace sr::sdk {

class result {
public:
    // The call succeeded with `output` (null when omitted).
    static result success(boost::json::value output = nullptr) {
        result r(SR_RESULT_SUCCESS);
        r.output_ = std::move(output);
        return r;
    }
    // A transient failure: the host may retry, after `retry_after_ms` when the service
    // asked for a wait (-1: no request). `message` must not contain secrets.
    static result retryable(std::string code, std::string message, int64_t retry_after_ms = -1) {
        result r(SR_RESULT_RETRYABLE_ERROR);
        r.code_ = std::move(code);
        r.message_ = std::move(message);
        r.retry_after_ms_ = retry_after_ms;
        return r;
    }
    // A permanent failure: retrying the same call cannot succeed.
    static result fatal(std::string code, std::string message) {
        result r(SR_RESULT_FATAL_ERROR);
        r.code_ = std::move(code);
        r.message_ = std::move(message);
        return r;
    }
    // The node waits, without holding a thread, until `resume_at_unix_ms`, then succeeds
    // with `output`.
    static result suspend_until(int64_t resume_at_unix_ms, boost::json::value output = nullptr) {
        result r(SR_RESULT_SUSPEND);
        r.resume_at_unix_ms_ = resume_at_unix_ms;
        r.output_ = std::move(output);
        return r;
    }

    // Attaches detail to an error result (e.g. the failed response), or replaces the output.
    result& with_output(boost::json::value output) & {
        output_ = std::move(output);
        return *this;
    }
    result&& with_output(boost::json::value output) && {
        output_ = std::move(output);
        return std::move(*this);
    }

    sr_result_kind kind() const noexcept { return kind_; }
    bool ok() const noexcept { return kind_ == SR_RESULT_SUCCESS; }
    const boost::json::value& output() const noexcept { return output_; }
    const std::string& code() const noexcept { return code_; }
    const std::string& message() const noexcept { return message_; }
    int64_t retry_after_ms() const noexcept { return retry_after_ms_; }
    int64_t resume_at_unix_ms() const noexcept { return resume_at_unix_ms_; }

private:
    explicit result(sr_result_kind kind) : kind_(kind) {}

    sr_result_kind kind_;
    boost::json::value output_;
    std::string code_;
    std::string message_;
    int64_t retry_after_ms_ = -1;
    int64_t resume_at_unix_ms_ = 0;
};

} // namespace sr::sdk
