#pragma once
// Lets a request wait for a run's end, for sync webhooks: the webhook handler registers a
// waiter for the run it queued (before its transaction commits, so the run cannot end first)
// and the worker that finishes the run on this host notifies it. A run finished by another
// host is not seen here: the waiter times out and the caller answers 202 with a status URL.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <boost/asio/io_context.hpp>
#include <boost/json/value.hpp>

namespace sr::host {

struct run_outcome {
    std::string run_id;
    std::string status;       // succeeded | failed | cancelled | incomplete
    boost::json::value error; // {"code","message","node"} unless succeeded
    boost::json::value report; // the run report: nodes with input and output, path
};

class run_waiters {
public:
    using callback = std::function<void(std::optional<run_outcome>)>; // nullopt: timed out

    explicit run_waiters(boost::asio::io_context& ioc) : ioc_(ioc) {}

    // Thread-safe. `done` runs once, on an io_context thread.
    void wait(const std::string& run_id, std::chrono::milliseconds timeout, callback done);
    // Thread-safe. Wakes the waiters of the run, if any.
    void notify(const run_outcome& outcome);
    // Thread-safe. Drops the run's waiters without calling them (the run was never stored).
    void forget(const std::string& run_id);

private:
    struct waiter;
    boost::asio::io_context& ioc_;
    std::mutex mutex_;
    std::unordered_multimap<std::string, std::shared_ptr<waiter>> waiters_;
};

} // namespace sr::host
