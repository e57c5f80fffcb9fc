#include "maintenance/retention_task.hpp"

#include <algorithm>
#include <exception>

#include <boost/asio/post.hpp>
#include <pqxx/pqxx>

namespace sr::host {

namespace net = boost::asio;

struct retention_task::session {
    explicit session(const std::string& conninfo) : conn(conninfo) {}
    pqxx::connection conn;
    run_pruner pruner{conn};
};

std::shared_ptr<retention_task> retention_task::create(net::io_context& ioc, db_pool& pool, retention_config config,
                                                       report_handler on_report, error_handler on_error) {
    return std::shared_ptr<retention_task>(
        new retention_task(ioc, pool, config, std::move(on_report), std::move(on_error)));
}

retention_task::retention_task(net::io_context& ioc, db_pool& pool, retention_config config, report_handler on_report,
                               error_handler on_error)
    : strand_(net::make_strand(ioc)), timer_(strand_), pool_(pool), config_(config), on_report_(std::move(on_report)),
      on_error_(std::move(on_error)) {}

retention_task::~retention_task() = default;

void retention_task::start() {
    if (config_.days == 0) return;
    net::post(strand_, [self = shared_from_this()] { self->wait(self->config_.first_delay); });
}

void retention_task::stop() {
    net::post(strand_, [self = shared_from_this()] {
        self->stopped_ = true;
        self->timer_.cancel();
    });
}

void retention_task::wait(std::chrono::milliseconds delay) {
    if (stopped_) return;
    timer_.expires_after(delay);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (!ec) self->begin_pass();
    });
}

void retention_task::run_job(std::function<continuation(session&)> work) {
    auto self = shared_from_this();
    pool_.post(
        [self, work = std::move(work)](pqxx::connection&) {
            if (!self->session_) self->session_ = std::make_unique<session>(self->pool_.conninfo());
            net::post(self->strand_, work(*self->session_));
        },
        [self](std::exception_ptr error) {
            self->session_.reset(); // a broken session has lost the lock; the next pass reconnects
            net::post(self->strand_, [self, error] { self->on_failed(error); });
        });
}

void retention_task::begin_pass() {
    if (stopped_) return;
    pass_ = prune_report{};
    const auto older_than = std::chrono::seconds(static_cast<int64_t>(config_.days) * 86'400);
    run_job([self = shared_from_this(), older_than](session& s) -> continuation {
        const bool locked = s.pruner.try_lock();
        std::string cutoff = locked ? s.pruner.cutoff(older_than) : std::string();
        return [self, locked, cutoff = std::move(cutoff)] { self->on_locked(locked, cutoff); };
    });
}

void retention_task::on_locked(bool locked, const std::string& cutoff) {
    if (!locked) {
        // Another host is pruning; it will do our share too.
        pass_.skipped = true;
        if (on_report_) on_report_(pass_);
        wait(config_.interval);
        return;
    }
    pass_.cutoff = cutoff;
    next_batch();
}

void retention_task::next_batch() {
    if (stopped_) return end_pass();
    run_job([self = shared_from_this(), cutoff = pass_.cutoff, batch = config_.batch](session& s) -> continuation {
        const std::size_t deleted = s.pruner.delete_batch(cutoff, batch);
        return [self, deleted] { self->on_batch(deleted); };
    });
}

void retention_task::on_batch(std::size_t deleted) {
    ++pass_.batches;
    pass_.deleted += deleted;
    if (deleted < config_.batch) {
        pass_.complete = true;
        return end_pass();
    }
    if (stopped_) return end_pass();
    // A pause between batches leaves the database (and the pool) to the runs.
    timer_.expires_after(config_.batch_pause);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code) { self->next_batch(); });
}

void retention_task::end_pass() {
    run_job([self = shared_from_this()](session& s) -> continuation {
        s.pruner.unlock();
        return [self] {
            if (self->on_report_) self->on_report_(self->pass_);
            self->wait(self->config_.interval);
        };
    });
}

void retention_task::on_failed(std::exception_ptr error) {
    if (on_error_) {
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            on_error_(std::string("retention pass failed: ") + e.what());
        } catch (...) {
            on_error_("retention pass failed");
        }
    }
    // Try again sooner than a full interval: the database may only have been restarting.
    wait(std::min<std::chrono::milliseconds>(config_.interval, std::chrono::minutes(1)));
}

} // namespace sr::host
