#pragma once
// scenariod's periodic retention: an Asio timer starts a pass every `interval`; the pass runs
// as a chain of db_pool jobs (lock, one job per batch, unlock), so no I/O thread touches the
// database and no pool thread is held for more than one short batch. The pass keeps its own
// connection, because the advisory lock that keeps other hosts out belongs to a session.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "db/db_pool.hpp"
#include "maintenance/run_pruner.hpp"

namespace sr::host {

struct retention_config {
    std::size_t days = 30;                            // 0: keep runs forever (the task does nothing)
    std::size_t batch = 500;                          // runs per transaction
    std::chrono::milliseconds first_delay{5'000};     // after start, so start-up is not slowed
    std::chrono::milliseconds interval{3'600'000};    // between passes
    std::chrono::milliseconds batch_pause{20};        // between batches, to leave the database room
};

class retention_task : public std::enable_shared_from_this<retention_task> {
public:
    // Told about each pass that ran or was skipped, and about failures; on the task's strand.
    using report_handler = std::function<void(const prune_report&)>;
    using error_handler = std::function<void(const std::string& message)>;

    static std::shared_ptr<retention_task> create(boost::asio::io_context& ioc, db_pool& pool, retention_config config,
                                                  report_handler on_report = {}, error_handler on_error = {});

    void start(); // [thread-safe] first pass after first_delay; nothing when days is 0
    void stop();  // [thread-safe] no batch starts after this; the lock is released

private:
    retention_task(boost::asio::io_context& ioc, db_pool& pool, retention_config config, report_handler on_report,
                   error_handler on_error);

public:
    ~retention_task();

private:
    struct session; // the pass's connection and pruner

    using continuation = std::function<void()>;
    // Runs `work` on a pool thread with the session (connecting first when there is none);
    // the continuation it returns runs on the strand. Jobs form one chain, never two at once,
    // so the session needs no lock. A failure drops the session (and with it the lock).
    void run_job(std::function<continuation(session&)> work);
    void wait(std::chrono::milliseconds delay);
    void begin_pass();
    void on_locked(bool locked, const std::string& cutoff);
    void next_batch();
    void on_batch(std::size_t deleted);
    void end_pass();
    void on_failed(std::exception_ptr error);

    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    boost::asio::steady_timer timer_;
    db_pool& pool_;
    retention_config config_;
    report_handler on_report_;
    error_handler on_error_;
    std::unique_ptr<session> session_;                  // pool jobs only, one at a time
    prune_report pass_;                                 // strand only
    bool stopped_ = false;                              // strand only
};

} // namespace sr::host
