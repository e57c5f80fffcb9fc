#pragma once
// How an action (or any other call) ends: the C++ face of sr_result.
#include <scenario/sr_plugin.h>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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
    // The action's settings are invalid (`message` names the setting): fatal, because retrying
    // the same settings cannot succeed. The error code is the taxonomy's action_validation_failed.
    static result invalid_settings(std::string message) {
        return fatal("action_validation_failed", std::move(message));
    }
    // Succeeds with `output` and follows only the success edges leaving `handles` (the
    // action's declared or dynamic output handles), e.g. routed(out, {"true"}).
    static result routed(boost::json::value output, std::vector<std::string> handles) {
        return success(std::move(output)).route(std::move(handles));
    }
    // Succeeds with `output` but follows no edge: the branch ends here (a filter that drops).
    static result filtered_out(boost::json::value output = nullptr) {
        return success(std::move(output)).route({});
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

    // Chooses the output handles to follow (sr_result.route_json, ABI 1.1); an empty list
    // follows none. Without it the host follows every success edge.
    result& route(std::vector<std::string> handles) & {
        route_ = std::move(handles);
        return *this;
    }
    result&& route(std::vector<std::string> handles) && {
        route_ = std::move(handles);
        return std::move(*this);
    }

    sr_result_kind kind() const noexcept { return kind_; }
    bool ok() const noexcept { return kind_ == SR_RESULT_SUCCESS; }
    const boost::json::value& output() const noexcept { return output_; }
    const std::string& code() const noexcept { return code_; }
    const std::string& message() const noexcept { return message_; }
    int64_t retry_after_ms() const noexcept { return retry_after_ms_; }
    int64_t resume_at_unix_ms() const noexcept { return resume_at_unix_ms_; }
    // The chosen handles; nullopt follows every success edge, an empty list none.
    const std::optional<std::vector<std::string>>& route() const noexcept { return route_; }
    // The text for sr_result.route_json: "" (follow all) or a JSON array of handle ids.
    std::string route_json() const {
        if (!route_) return {};
        boost::json::array handles;
        for (const auto& h : *route_) handles.emplace_back(h);
        return boost::json::serialize(handles);
    }

private:
    explicit result(sr_result_kind kind) : kind_(kind) {}

    sr_result_kind kind_;
    boost::json::value output_;
    std::string code_;
    std::string message_;
    int64_t retry_after_ms_ = -1;
    int64_t resume_at_unix_ms_ = 0;
    std::optional<std::vector<std::string>> route_;
};

} // namespace sr::sdk
