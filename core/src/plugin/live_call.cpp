#include "detail/live_call.hpp"

#include <cstddef>
#include <exception>
#include <string_view>
#include <utility>

#include <boost/json/parse.hpp>
#include <fmt/format.h>

#include "sr/core/plugin/status_name.hpp"

namespace sr::core::detail {
namespace {

sr_str view(const std::string& s) noexcept { return sr_str{s.data(), s.size()}; }

std::string copy(sr_str s) {
    if (s.data == nullptr || s.size == 0) return {};
    return std::string(s.data, s.size);
}

// A string the plugin pointed at: NULL data with a non-zero size is a plugin bug.
bool well_formed(sr_str s) noexcept { return s.data != nullptr || s.size == 0; }

sr_call make_call(const call_request& r) noexcept {
    sr_call c{};
    c.struct_size = sizeof(sr_call);
    c.kind = r.kind;
    c.target = view(r.target);
    c.field = view(r.field);
    c.input_json = view(r.input_json);
    c.settings_json = view(r.settings_json);
    c.connection_json = view(r.connection_json);
    c.run_id = view(r.run_id);
    c.node_id = view(r.node_id);
    c.correlation_id = view(r.correlation_id);
    c.idempotency_key = view(r.idempotency_key);
    c.scope = view(r.scope);
    c.attempt = r.attempt;
    c.deadline_unix_ms = r.deadline_unix_ms;
    c.cursor_json = view(r.cursor_json);
    c.raw_body = view(r.raw_body);
    c.headers_json = view(r.headers_json);
    c.from_version = view(r.from_version);
    return c;
}

std::string_view kind_name(sr_call_kind kind) noexcept {
    switch (kind) {
    case SR_CALL_ACTION: return "action";
    case SR_CALL_POLL_TRIGGER: return "poll of trigger";
    case SR_CALL_WEBHOOK: return "webhook of trigger";
    case SR_CALL_FIELD_OPTIONS: return "field options of";
    case SR_CALL_TEST_CONNECTION: return "connection test of";
    case SR_CALL_MIGRATE_SETTINGS: return "settings migration of";
    }
    return "call of";
}

// route_json: a JSON array of strings.
bool is_route(const std::string& text) {
    boost::system::error_code ec;
    auto value = boost::json::parse(text, ec);
    if (ec || !value.is_array()) return false;
    for (const auto& id : value.get_array())
        if (!id.is_string()) return false;
    return true;
}

call_outcome failure(std::string code, std::string message) {
    call_outcome o;
    o.kind = SR_RESULT_FATAL_ERROR;
    o.output_json = "null";
    o.error_code = std::move(code);
    o.error_message = std::move(message);
    return o;
}

} // namespace

live_call::live_call(std::shared_ptr<instance_core> core, call_request request, std::string plugin_id,
                     std::shared_ptr<cancel_signal> cancel, std::function<void(call_outcome)> done)
    : core_(std::move(core)), context_(std::move(request), std::move(plugin_id), cancel, core_),
      state_{make_call(context_.request()), &context_, this}, done_(std::move(done)) {
    core_->add_call(this, cancel);
}

live_call::~live_call() { core_->remove_call(this); }

void live_call::start() {
    auto me = shared_from_this(); // keeps the call alive across execute(), see the header
    context_.cancel_token()->subscribe([weak = std::weak_ptr<live_call>(me)] {
        if (auto call = weak.lock()) call->forward_cancel();
    });
    self_ = me;
    on_executed(core_->entry().execute(core_->plugin(), &state_.abi));
}

void live_call::on_executed(sr_status status) noexcept {
    if (status == SR_PENDING) return;
    if (status == SR_OK) {
        // The ABI says complete() already ran; if not, nobody would ever end this call.
        if (claim()) finish(failure("plugin_error", describe() + ": execute() returned ok without completing the call"));
        return;
    }
    if (claim()) {
        finish(failure("plugin_error", fmt::format("{}: execute() returned {}", describe(), status_name(status))));
    } else {
        core_->log(SR_LOG_WARN, fmt::format("{}: execute() returned {} after completing the call; the result stands",
                                            describe(), status_name(status)));
    }
}

sr_status live_call::complete(const sr_result* result) noexcept {
    if (!claim()) return SR_ERR_ALREADY_COMPLETED;
    call_outcome outcome;
    try {
        outcome = read_result(result);
    } catch (const std::exception& e) {
        outcome = failure("internal", std::string("could not copy the plugin's result: ") + e.what());
    }
    finish(std::move(outcome)); // may destroy *this
    return SR_OK;
}

void live_call::forward_cancel() noexcept {
    // The reference held by our caller keeps the sr_call valid; the lock keeps a concurrent
    // complete() from returning before the plugin's cancel() has (see the header).
    std::lock_guard lock(cancel_mutex_);
    if (completed_.load(std::memory_order_acquire)) return;
    if (auto cancel = core_->entry().cancel) cancel(core_->plugin(), &state_.abi);
}

void live_call::finish(call_outcome outcome) noexcept {
    // Wait for a cancel() that started before the call was claimed; later ones see the flag.
    { std::lock_guard barrier(cancel_mutex_); }
    auto self = std::move(self_); // released on return: the call may be freed then
    auto done = std::move(done_);
    try {
        if (done) done(std::move(outcome));
    } catch (const std::exception& e) {
        core_->log(SR_LOG_ERROR, fmt::format("{}: the host's completion handler threw: {}", describe(), e.what()));
    } catch (...) {
        core_->log(SR_LOG_ERROR, describe() + ": the host's completion handler threw");
    }
}

call_outcome live_call::read_result(const sr_result* r) const {
    if (r == nullptr || !SR_HAS_FIELD(r, sr_result, kind))
        return failure("plugin_bad_result", describe() + ": complete() was given no result");
    if (r->kind < SR_RESULT_SUCCESS || r->kind > SR_RESULT_SUSPEND)
        return failure("plugin_bad_result", fmt::format("{}: result kind {} is not a known sr_result_kind", describe(), r->kind));

    call_outcome o;
    o.kind = r->kind;
    if (SR_HAS_FIELD(r, sr_result, output_json)) {
        if (!well_formed(r->output_json))
            return failure("plugin_bad_result", describe() + ": output_json has a size but no data");
        o.output_json = copy(r->output_json);
    }
    if (o.output_json.empty()) {
        o.output_json = "null";
    } else {
        boost::system::error_code ec;
        boost::json::parse(o.output_json, ec);
        if (ec) return failure("plugin_bad_output", fmt::format("{}: output is not valid JSON: {}", describe(), ec.message()));
    }
    if (SR_HAS_FIELD(r, sr_result, error_code) && well_formed(r->error_code)) o.error_code = copy(r->error_code);
    if (SR_HAS_FIELD(r, sr_result, error_message) && well_formed(r->error_message))
        o.error_message = copy(r->error_message);
    if (SR_HAS_FIELD(r, sr_result, retry_after_ms)) o.retry_after_ms = r->retry_after_ms;
    if (SR_HAS_FIELD(r, sr_result, resume_at_unix_ms)) o.resume_at_unix_ms = r->resume_at_unix_ms;
    if (SR_HAS_FIELD(r, sr_result, route_json)) {
        if (!well_formed(r->route_json))
            return failure("plugin_bad_result", describe() + ": route_json has a size but no data");
        o.route_json = copy(r->route_json);
        if (!o.route_json.empty() && !is_route(o.route_json))
            return failure("plugin_bad_result", describe() + ": route_json is not a JSON array of output ids");
    }
    return o;
}

std::string live_call::describe() const {
    return fmt::format("plugin {}, {} \"{}\"", context_.plugin_id(), kind_name(context_.request().kind),
                       context_.request().target);
}

sr_status host_complete(const sr_call* call, const sr_result* result) noexcept {
    if (call == nullptr) return SR_ERR_INVALID_ARGUMENT;
    return live_call::from(call)->complete(result);
}

int32_t host_is_cancelled(const sr_call* call) noexcept {
    if (call == nullptr) return 0;
    return live_call::from(call)->is_cancelled() ? 1 : 0;
}

} // namespace sr::core::detail
