#pragma once
// Blocking libpqxx work on a small fixed pool of threads, each owning one connection, so the
// I/O threads never block on PostgreSQL. Results go back to the caller through the job itself
// (typically by posting to the caller's strand).
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <pqxx/connection>

namespace sr::host {

class db_pool {
public:
    using job = std::function<void(pqxx::connection&)>;
    // Told why a job did not complete: the connection could not be made, or the job threw.
    using error_handler = std::function<void(std::exception_ptr)>;

    // Starts `threads` (at least 1) threads. Connections are made lazily, on each thread's
    // first job, and again after a job finds the connection broken.
    db_pool(std::string conninfo, std::size_t threads);
    ~db_pool();  // runs every job already posted, then joins the threads
    db_pool(const db_pool&) = delete;
    db_pool& operator=(const db_pool&) = delete;

    // Queues `work` for a pool thread. Thread-safe, also from inside a job. When the job cannot
    // run (no connection) or throws, `on_error` gets the exception on that pool thread; without
    // one the error is written to stderr. A pqxx::broken_connection (or any failure that leaves
    // the connection closed) makes the thread reconnect before its next job.
    void post(job work, error_handler on_error = {});
    // Like post(), but ahead of every queued job: for short work that must not wait behind a
    // backlog (lease renewals, which expire if they wait too long).
    void post_first(job work, error_handler on_error = {});

    // SELECT 1 on a fresh connection, everything (connect included) bounded by `timeout`; false
    // when the database is unreachable or does not answer in time. Independent of the queue,
    // so a busy pool does not make the database look down.
    bool ping(std::chrono::milliseconds timeout = std::chrono::seconds(2)) const;

    std::size_t size() const noexcept { return threads_.size(); }
    const std::string& conninfo() const noexcept { return conninfo_; }

private:
    struct task {
        job work;
        error_handler on_error;
    };
    void worker();
    void run(task& t, std::unique_ptr<pqxx::connection>& conn);

    std::string conninfo_;
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<task> queue_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

} // namespace sr::host
