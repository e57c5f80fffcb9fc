#include "detail/instance_core.hpp"

#include <filesystem>
#include <utility>
#include <vector>

#include "detail/live_call.hpp"
#include "sr/core/plugin/call_context.hpp"

namespace sr::core::detail {
namespace {

void host_log(const sr_host* host, const sr_call* call, sr_log_level level, sr_str message) noexcept {
    auto* core = instance_core::from(host);
    if (!core || (message.data == nullptr && message.size != 0)) return;
    try {
        std::string_view text(message.data ? message.data : "", message.size);
        core->services().log(core->log_id(), call_context::from(call), level, text);
    } catch (...) {
        // Out of memory while copying the id: drop the line rather than unwind into C.
    }
}

const void* host_get_service(const sr_host* host, const char* id) noexcept {
    auto* core = instance_core::from(host);
    if (!core || !id) return nullptr;
    return core->services().find_service(id);
}

} // namespace

instance_core::instance_core(const sr_plugin_entry* entry, std::string file, service_provider& services)
    : entry_(entry), file_(std::move(file)), services_(services), host_{},
      id_(std::filesystem::path(file_).filename().string()) {
    host_.abi.struct_size = sizeof(sr_host);
    host_.abi.abi_major = SR_ABI_MAJOR;
    host_.abi.abi_minor = SR_ABI_MINOR;
    host_.abi.log = host_log;
    host_.abi.complete = host_complete;
    host_.abi.is_cancelled = host_is_cancelled;
    host_.abi.get_service = host_get_service;
    host_.core = this;
}

instance_core* instance_core::from(const sr_host* host) noexcept {
    return host ? reinterpret_cast<const host_binding*>(host)->core : nullptr;
}

void instance_core::set_initialised(void* plugin) noexcept {
    plugin_ = plugin;
    initialised_ = true;
}

std::string instance_core::log_id() const {
    std::lock_guard lock(mutex_);
    return id_;
}

void instance_core::set_id(const std::string& id) {
    std::lock_guard lock(mutex_);
    id_ = id;
}

void instance_core::log(sr_log_level level, std::string_view message) const noexcept {
    try {
        services_.log(log_id(), nullptr, level, message);
    } catch (...) {
    }
}

void instance_core::add_call(const live_call* call, std::weak_ptr<cancel_signal> signal) {
    std::lock_guard lock(mutex_);
    calls_.emplace(call, std::move(signal));
}

void instance_core::remove_call(const live_call* call) noexcept {
    std::lock_guard lock(mutex_);
    calls_.erase(call);
    // Notify under the lock: once the waiter sees no calls it may destroy the instance.
    if (calls_.empty() && holds_ == 0) idle_.notify_all();
}

hold_token::~hold_token() { core->release_hold(this); }

instance_hold instance_core::acquire_hold() {
    auto token = std::make_shared<hold_token>(shared_from_this());
    std::lock_guard lock(mutex_);
    ++holds_;
    return instance_hold(std::move(token));
}

void instance_core::release_hold(const hold_token* token) noexcept {
    std::function<void()> canceller; // destroyed outside the lock: it may own anything
    std::lock_guard lock(mutex_);
    if (auto it = unload_cancellers_.find(token); it != unload_cancellers_.end()) {
        canceller = std::move(it->second);
        unload_cancellers_.erase(it);
    }
    --holds_;
    if (calls_.empty() && holds_ == 0) idle_.notify_all();
}

void instance_core::set_unload_canceller(const hold_token* token, std::function<void()> cancel) {
    std::lock_guard lock(mutex_);
    unload_cancellers_[token] = std::move(cancel);
}

std::size_t instance_core::holds_in_flight() const {
    std::lock_guard lock(mutex_);
    return holds_;
}

std::size_t instance_core::calls_in_flight() const {
    std::lock_guard lock(mutex_);
    return calls_.size();
}

void instance_core::cancel_all() {
    std::vector<std::shared_ptr<cancel_signal>> signals;
    std::vector<std::function<void()>> cancellers;
    {
        std::lock_guard lock(mutex_);
        for (auto& [call, weak] : calls_)
            if (auto signal = weak.lock()) signals.push_back(std::move(signal));
        for (auto& [token, cancel] : unload_cancellers_) cancellers.push_back(cancel);
    }
    // Outside the lock: the plugin may complete inside cancel(), which removes the call, and a
    // canceller may release its hold.
    for (auto& signal : signals) signal->cancel();
    for (auto& cancel : cancellers) {
        try {
            cancel();
        } catch (...) {
            // A canceller that cannot run leaves its work to end by its own deadline.
        }
    }
}

bool instance_core::wait_idle(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return idle_.wait_for(lock, timeout, [this] { return calls_.empty() && holds_ == 0; });
}

} // namespace sr::core::detail

namespace sr::core {

bool instance_hold::abandoned() const noexcept { return token_ && token_->core->abandoned(); }

void instance_hold::on_unload(std::function<void()> cancel) const {
    if (token_) token_->core->set_unload_canceller(token_.get(), std::move(cancel));
}

} // namespace sr::core
