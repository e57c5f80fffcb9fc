#include "test_host.hpp"

#include <atomic>
#include <stdexcept>

namespace sr::test {

namespace {

std::atomic<test_host*> active_host{nullptr};

sr_str str(const std::string& s) { return sr_str{s.data(), s.size()}; }

} // namespace

std::string copy(sr_str s) { return s.data == nullptr ? std::string() : std::string(s.data, s.size); }

boost::json::value recorded_result::output() const {
    return output_json.empty() ? boost::json::value(nullptr) : boost::json::parse(output_json);
}

test_call::test_call(call_spec spec) : spec_(std::move(spec)) {
    call_.struct_size = sizeof(sr_call);
    call_.kind = spec_.kind;
    call_.target = str(spec_.target);
    call_.field = str(spec_.field);
    call_.input_json = str(spec_.input);
    call_.settings_json = str(spec_.settings);
    call_.connection_json = str(spec_.connection);
    call_.run_id = str(spec_.run_id);
    call_.node_id = str(spec_.node_id);
    call_.correlation_id = str(spec_.correlation_id);
    call_.idempotency_key = str(spec_.idempotency_key);
    call_.scope = str(spec_.scope);
    call_.attempt = spec_.attempt;
    call_.deadline_unix_ms = spec_.deadline_unix_ms;
    call_.cursor_json = str(spec_.cursor);
    call_.raw_body = str(spec_.raw_body);
    call_.headers_json = str(spec_.headers);
    call_.from_version = str(spec_.from_version);
}

test_host::test_host() {
    host_.struct_size = sizeof(sr_host);
    host_.abi_major = SR_ABI_MAJOR;
    host_.abi_minor = SR_ABI_MINOR;
    host_.log = &on_log;
    host_.complete = &on_complete;
    host_.is_cancelled = &on_is_cancelled;
    host_.get_service = &on_get_service;
    test_host* expected = nullptr;
    if (!active_host.compare_exchange_strong(expected, this)) throw std::logic_error("one test_host at a time");
}

test_host::~test_host() { active_host.store(nullptr); }

std::vector<log_line> test_host::logs() const {
    std::lock_guard lock(mutex_);
    return logs_;
}

int test_host::completions(const sr_call* call) const {
    std::lock_guard lock(mutex_);
    auto it = results_.find(call);
    return it == results_.end() ? 0 : static_cast<int>(it->second.size());
}

std::optional<recorded_result> test_host::result_of(const sr_call* call) const {
    std::lock_guard lock(mutex_);
    auto it = results_.find(call);
    if (it == results_.end() || it->second.empty()) return std::nullopt;
    return it->second.front();
}

std::optional<recorded_result> test_host::wait_for(const sr_call* call, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    completed_.wait_for(lock, timeout, [&] { return results_.count(call) != 0; });
    auto it = results_.find(call);
    if (it == results_.end() || it->second.empty()) return std::nullopt;
    return it->second.front();
}

void test_host::set_cancelled(bool cancelled) {
    std::lock_guard lock(mutex_);
    cancelled_ = cancelled;
}

void test_host::on_log(const sr_host*, const sr_call* call, sr_log_level level, sr_str message) {
    test_host* self = active_host.load();
    std::lock_guard lock(self->mutex_);
    self->logs_.push_back({level, copy(message), call != nullptr});
}

sr_status test_host::on_complete(const sr_call* call, const sr_result* result) {
    test_host* self = active_host.load();
    recorded_result r;
    r.kind = result->kind;
    r.output_json = copy(result->output_json);
    r.error_code = copy(result->error_code);
    r.error_message = copy(result->error_message);
    r.retry_after_ms = result->retry_after_ms;
    r.resume_at_unix_ms = result->resume_at_unix_ms;
    {
        std::lock_guard lock(self->mutex_);
        auto& list = self->results_[call];
        list.push_back(std::move(r));
        if (list.size() > 1) return SR_ERR_ALREADY_COMPLETED;
    }
    self->completed_.notify_all();
    return SR_OK;
}

int32_t test_host::on_is_cancelled(const sr_call*) {
    test_host* self = active_host.load();
    std::lock_guard lock(self->mutex_);
    return self->cancelled_ ? 1 : 0;
}

const void* test_host::on_get_service(const sr_host*, const char*) { return nullptr; }

plugin_under_test::plugin_under_test(const sr_plugin_entry* entry, test_host& host) : entry_(entry) {
    const sr_status status = entry_->init(host.host(), &instance_);
    if (status != SR_OK) throw std::runtime_error("plugin init failed with status " + std::to_string(status));
}

plugin_under_test::~plugin_under_test() { entry_->deinit(instance_); }

std::string plugin_under_test::manifest() const { return copy(raw_manifest()); }

sr_str plugin_under_test::raw_manifest() const { return entry_->manifest(instance_); }

sr_status plugin_under_test::execute(const test_call& call) const { return entry_->execute(instance_, call.get()); }

void plugin_under_test::cancel(const test_call& call) const { entry_->cancel(instance_, call.get()); }

} // namespace sr::test
