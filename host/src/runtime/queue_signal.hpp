#pragma once
// Wakes workers after a busy producer (webhook ingest) queued a run, without NOTIFY inside the
// producer's transaction. PostgreSQL takes one database-wide lock for NOTIFY at commit and holds
// it through the commit's WAL flush, so a NOTIFY in every ingest transaction lets only one of them
// commit per fsync. Instead the producer commits plainly and then calls queued(): this host's
// worker is woken in-process at once, and the other hosts by a NOTIFY in a statement of its own
// (no WAL flush), sent at most once per interval; their poll timer covers the rest.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

#include <pqxx/connection>

namespace sr::host {

class queue_signal {
public:
    explicit queue_signal(std::chrono::milliseconds notify_interval = std::chrono::milliseconds(5));

    // This host's wake-up (run_worker::wake). Set before producers run; thread-safe to call.
    void set_local_wake(std::function<void()> wake);

    // After the producer's transaction committed a queued run, on the db thread that owns
    // `conn` (no transaction open on it). Never throws: a failed NOTIFY only delays other hosts
    // until their next poll.
    void queued(pqxx::connection& conn) noexcept;

    // NOTIFYs sent so far (for tests and metrics).
    std::uint64_t notifies_sent() const noexcept { return sent_.load(std::memory_order_relaxed); }

private:
    bool notify_due() noexcept;

    const std::int64_t interval_ns_;
    std::function<void()> local_wake_;
    std::atomic<std::int64_t> last_notify_ns_{0};
    std::atomic<std::uint64_t> sent_{0};
};

} // namespace sr::host
