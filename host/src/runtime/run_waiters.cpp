#include "runtime/run_waiters.hpp"

#include <atomic>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

namespace sr::host {

struct run_waiters::waiter {
    // The timer and the notification meet on one strand, so cancel never races the wait.
    explicit waiter(boost::asio::io_context& ioc) : strand(boost::asio::make_strand(ioc)), timer(strand) {}
    boost::asio::strand<boost::asio::io_context::executor_type> strand;
    boost::asio::steady_timer timer;
    callback done;
    std::atomic<bool> fired{false};

    void fire(std::optional<run_outcome> outcome) {
        if (fired.exchange(true)) return;
        timer.cancel();
        auto d = std::move(done);
        d(std::move(outcome));
    }
};

void run_waiters::wait(const std::string& run_id, std::chrono::milliseconds timeout, callback done) {
    auto w = std::make_shared<waiter>(ioc_);
    w->done = std::move(done);
    {
        std::lock_guard lock(mutex_);
        waiters_.emplace(run_id, w);
    }
    w->timer.expires_after(timeout);
    w->timer.async_wait([this, w, run_id](boost::system::error_code ec) {
        if (ec) return;
        {
            std::lock_guard lock(mutex_);
            auto range = waiters_.equal_range(run_id);
            for (auto it = range.first; it != range.second; ++it)
                if (it->second == w) {
                    waiters_.erase(it);
                    break;
                }
        }
        w->fire(std::nullopt);
    });
}

void run_waiters::notify(const run_outcome& outcome) {
    std::vector<std::shared_ptr<waiter>> woken;
    {
        std::lock_guard lock(mutex_);
        auto range = waiters_.equal_range(outcome.run_id);
        for (auto it = range.first; it != range.second; ++it) woken.push_back(it->second);
        waiters_.erase(range.first, range.second);
    }
    for (auto& w : woken)
        boost::asio::post(w->strand, [w, outcome] { w->fire(outcome); });
}

void run_waiters::forget(const std::string& run_id) {
    std::vector<std::shared_ptr<waiter>> dropped;
    {
        std::lock_guard lock(mutex_);
        auto range = waiters_.equal_range(run_id);
        for (auto it = range.first; it != range.second; ++it) dropped.push_back(it->second);
        waiters_.erase(range.first, range.second);
    }
    for (auto& w : dropped)
        boost::asio::post(w->strand, [w] {
            if (w->fired.exchange(true)) return;
            w->timer.cancel();
            w->done = nullptr;
        });
}

} // namespace sr::host
