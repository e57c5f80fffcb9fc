#include "db/db_pool.hpp"

#include "db/ping.hpp"

#include <iostream>
#include <memory>

#include <pqxx/pqxx>

namespace sr::host {
namespace {

void report_unhandled(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        std::cerr << "db_pool: job failed: " << e.what() << "\n";
    } catch (...) {
        std::cerr << "db_pool: job failed with a non-standard exception\n";
    }
}

} // namespace

db_pool::db_pool(std::string conninfo, std::size_t threads) : conninfo_(std::move(conninfo)) {
    if (threads == 0) threads = 1;
    threads_.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { worker(); });
}

db_pool::~db_pool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    ready_.notify_all();
    for (auto& t : threads_) t.join();
}

void db_pool::post(job work, error_handler on_error) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(task{std::move(work), std::move(on_error)});
    }
    ready_.notify_one();
}

void db_pool::post_first(job work, error_handler on_error) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_front(task{std::move(work), std::move(on_error)});
    }
    ready_.notify_one();
}

void db_pool::worker() {
    std::unique_ptr<pqxx::connection> conn;
    for (;;) {
        task t;
        {
            std::unique_lock lock(mutex_);
            ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping and drained
            t = std::move(queue_.front());
            queue_.pop_front();
        }
        run(t, conn);
    }
}

void db_pool::run(task& t, std::unique_ptr<pqxx::connection>& conn) {
    std::exception_ptr error;
    try {
        if (!conn || !conn->is_open()) {
            conn.reset();
            conn = std::make_unique<pqxx::connection>(conninfo_);
        }
        t.work(*conn);
        return;
    } catch (const pqxx::broken_connection&) {
        conn.reset();
        error = std::current_exception();
    } catch (...) {
        if (conn && !conn->is_open()) conn.reset();
        error = std::current_exception();
    }
    if (!t.on_error) {
        report_unhandled(error);
        return;
    }
    try {
        t.on_error(error);
    } catch (...) {
        std::cerr << "db_pool: an error handler threw; ignored\n";
    }
}

bool db_pool::ping(std::chrono::milliseconds timeout) const {
    return ping_database(conninfo_, timeout);
}

} // namespace sr::host
