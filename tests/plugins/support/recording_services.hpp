#pragma once
// The smallest service_provider a test can use: it records log lines and offers no real
// services, only a marker table under "test.marker/1" so lookups can be seen to arrive.
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <stdexcept>
#include <vector>

#include "sr/core/plugin/call_context.hpp"
#include "sr/core/plugin/call_outcome.hpp"
#include "sr/core/plugin/service_provider.hpp"

namespace sr::test {

struct log_line {
    std::string plugin_id;
    sr_log_level level;
    std::string message;
    std::string run_id; // of the call the line was attributed to; empty when none
    bool has_call;
};

class recording_services : public core::service_provider {
public:
    void log(const std::string& plugin_id, const core::call_context* call, sr_log_level level,
             std::string_view message) noexcept override {
        std::lock_guard lock(mutex_);
        lines_.push_back({plugin_id, level, std::string(message), call ? call->request().run_id : "", call != nullptr});
    }
    const void* find_service(std::string_view id) noexcept override {
        return id == "test.marker/1" ? &marker_ : nullptr;
    }
    std::vector<log_line> lines() const {
        std::lock_guard lock(mutex_);
        return lines_;
    }
    // True when some line from a plugin whose id contains `plugin` contains `text`.
    bool logged(std::string_view plugin, std::string_view text) const {
        std::lock_guard lock(mutex_);
        for (const auto& l : lines_)
            if (l.plugin_id.find(plugin) != std::string::npos && l.message.find(text) != std::string::npos) return true;
        return false;
    }

private:
    mutable std::mutex mutex_;
    std::vector<log_line> lines_;
    int marker_ = 0;
};

// Collects the outcome of one call, and how many times `done` ran.
class outcome_catcher {
public:
    std::function<void(core::call_outcome)> handler() {
        return [state = state_](core::call_outcome o) {
            std::lock_guard lock(state->mutex);
            if (++state->calls == 1) state->promise.set_value(std::move(o));
        };
    }
    // The outcome, or throws when none arrives within `timeout`.
    core::call_outcome get(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        if (future_.wait_for(timeout) != std::future_status::ready) throw std::runtime_error("no outcome in time");
        return future_.get();
    }
    bool ready() const { return future_.wait_for(std::chrono::seconds(0)) == std::future_status::ready; }
    int calls() const {
        std::lock_guard lock(state_->mutex);
        return state_->calls;
    }

private:
    struct state {
        std::mutex mutex;
        std::promise<core::call_outcome> promise;
        int calls = 0;
    };
    std::shared_ptr<state> state_ = std::make_shared<state>();
    std::future<core::call_outcome> future_ = state_->promise.get_future();
};

} // namespace sr::test
