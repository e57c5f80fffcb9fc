#pragma once
// What a plugin instance and its in-flight calls share: the entry, the plugin's state, its
// sr_host and the set of calls still running. Calls hold it by shared_ptr so a call that
// completes late never touches freed memory.
#include <atomic>
#include <chrono>
#include <functional>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <unordered_map>

#include <scenario/sr_plugin.h>

#include "sr/core/plugin/cancel_signal.hpp"
#include "sr/core/plugin/instance_hold.hpp"
#include "sr/core/plugin/service_provider.hpp"

namespace sr::core::detail {

class instance_core;
class live_call;

// One instance_hold and its copies; releases the hold when the last copy goes.
struct hold_token {
    explicit hold_token(std::shared_ptr<instance_core> core) noexcept : core(std::move(core)) {}
    ~hold_token();
    hold_token(const hold_token&) = delete;
    hold_token& operator=(const hold_token&) = delete;

    std::shared_ptr<instance_core> core;
};

// The sr_host a plugin sees, followed by the way back to its instance.
struct host_binding {
    sr_host abi;
    instance_core* core;
};
static_assert(std::is_standard_layout_v<host_binding>);

class instance_core : public std::enable_shared_from_this<instance_core> {
public:
    instance_core(const sr_plugin_entry* entry, std::string file, service_provider& services);
    instance_core(const instance_core&) = delete;
    instance_core& operator=(const instance_core&) = delete;

    static instance_core* from(const sr_host* host) noexcept;

    const sr_plugin_entry& entry() const noexcept { return *entry_; }
    const sr_host* host() const noexcept { return &host_.abi; }
    void* plugin() const noexcept { return plugin_; }
    bool initialised() const noexcept { return initialised_; }
    void set_initialised(void* plugin) noexcept;
    service_provider& services() const noexcept { return services_; }
    const std::string& file() const noexcept { return file_; }

    // The name log lines carry: the manifest id once known, the file name before.
    std::string log_id() const;
    void set_id(const std::string& id);
    void log(sr_log_level level, std::string_view message) const noexcept;

    void add_call(const live_call* call, std::weak_ptr<cancel_signal> signal);
    void remove_call(const live_call* call) noexcept;
    std::size_t calls_in_flight() const;
    // Cancels the calls in flight and the pending service work that outlived its call.
    void cancel_all();
    // Waits until no call and no hold is left; false on time-out.
    bool wait_idle(std::chrono::milliseconds timeout);

    instance_hold acquire_hold();
    void release_hold(const hold_token* token) noexcept;
    void set_unload_canceller(const hold_token* token, std::function<void()> cancel);
    std::size_t holds_in_flight() const;
    // The owner gave up waiting: callbacks still to come are dropped.
    void abandon() noexcept { abandoned_.store(true, std::memory_order_release); }
    bool abandoned() const noexcept { return abandoned_.load(std::memory_order_acquire); }

private:
    const sr_plugin_entry* entry_;
    std::string file_;
    service_provider& services_;
    host_binding host_;
    void* plugin_ = nullptr;
    bool initialised_ = false;

    mutable std::mutex mutex_;
    std::condition_variable idle_;
    std::string id_;
    std::unordered_map<const live_call*, std::weak_ptr<cancel_signal>> calls_;
    std::size_t holds_ = 0;
    std::unordered_map<const hold_token*, std::function<void()>> unload_cancellers_;
    std::atomic<bool> abandoned_{false};
};

} // namespace sr::core::detail
