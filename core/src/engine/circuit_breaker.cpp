#include "sr/core/engine/circuit_breaker.hpp"

namespace sr::core::engine {

const char* to_string(breaker_state state) {
    switch (state) {
    case breaker_state::closed: return "closed";
    case breaker_state::open: return "open";
    case breaker_state::half_open: return "half_open";
    }
    return "closed";
}

breaker_state breaker_registry::effective(const entry& e, int64_t now_ms, int64_t open_ms) {
    if (e.state == breaker_state::open && now_ms - e.opened_at_ms >= open_ms) return breaker_state::half_open;
    return e.state;
}

breaker_decision breaker_registry::acquire(const std::string& key, int64_t now_ms) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return {};
    entry& e = it->second;
    switch (effective(e, now_ms, config_.open_ms)) {
    case breaker_state::closed:
        return {};
    case breaker_state::open:
        return {false, config_.open_ms - (now_ms - e.opened_at_ms)};
    case breaker_state::half_open:
        if (e.probe_in_flight) return {false, config_.open_ms};
        e.state = breaker_state::half_open;
        e.probe_in_flight = true;
        return {};
    }
    return {};
}

void breaker_registry::record(const std::string& key, bool service_failure, int64_t now_ms) {
    std::lock_guard lock(mutex_);
    if (!service_failure) {
        auto it = entries_.find(key);
        if (it != entries_.end()) entries_.erase(it); // closed with no failures is the default
        return;
    }
    entry& e = entries_[key];
    const bool was_probe = e.state == breaker_state::half_open;
    e.probe_in_flight = false;
    ++e.consecutive_failures;
    if (was_probe || e.consecutive_failures >= config_.failure_threshold) {
        e.state = breaker_state::open;
        e.opened_at_ms = now_ms;
    }
}

breaker_state breaker_registry::state(const std::string& key, int64_t now_ms) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    return it == entries_.end() ? breaker_state::closed : effective(it->second, now_ms, config_.open_ms);
}

std::vector<breaker_registry::snapshot_entry> breaker_registry::snapshot(int64_t now_ms) const {
    std::lock_guard lock(mutex_);
    std::vector<snapshot_entry> out;
    out.reserve(entries_.size());
    for (const auto& [key, e] : entries_)
        out.push_back({key, effective(e, now_ms, config_.open_ms), e.consecutive_failures});
    return out;
}

} // namespace sr::core::engine
