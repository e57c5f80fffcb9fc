#pragma once
// Circuit breakers per (integration, connection), shared by every run in the process. After
// `failure_threshold` consecutive service failures a breaker opens and calls fail fast; after
// `open_ms` it lets one probe through (half-open); the probe's success closes it, its failure
// opens it again. Time is passed in, never read, so tests step it.
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace sr::core::engine {

enum class breaker_state : uint8_t { closed, open, half_open };
const char* to_string(breaker_state state);

struct breaker_config {
    uint32_t failure_threshold = 5;
    int64_t open_ms = 30'000;
};

struct breaker_decision {
    bool allowed = true;
    int64_t retry_in_ms = 0; // when refused: time until a probe may go through
};

class breaker_registry {
public:
    explicit breaker_registry(breaker_config config = {}) : config_(config) {}

    // Asks to make a call. Half-open admits exactly one probe at a time.
    breaker_decision acquire(const std::string& key, int64_t now_ms);
    // Reports how an admitted call went. `service_failure` is a failure that says the service
    // is unwell (timeouts, 5xx, rate limits), not one caused by our input.
    void record(const std::string& key, bool service_failure, int64_t now_ms);

    breaker_state state(const std::string& key, int64_t now_ms) const;

    struct snapshot_entry {
        std::string key;
        breaker_state state;
        uint32_t consecutive_failures;
    };
    std::vector<snapshot_entry> snapshot(int64_t now_ms) const;

    static std::string key_for(const std::string& integration, const std::string& connection_id) {
        return integration + "/" + connection_id;
    }

private:
    struct entry {
        breaker_state state = breaker_state::closed;
        uint32_t consecutive_failures = 0;
        int64_t opened_at_ms = 0;
        bool probe_in_flight = false;
    };
    static breaker_state effective(const entry& e, int64_t now_ms, int64_t open_ms);

    breaker_config config_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, entry> entries_;
};

} // namespace sr::core::engine
