#include "http/detail/server_state.hpp"

#include "http/detail/http_session.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <vector>

namespace sr::host::detail {
namespace {

void log_to_stderr(std::string_view message) {
    static std::mutex mutex;
    auto now = std::chrono::system_clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char ts[64];
    std::snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    boost::json::object line{{"ts", ts}, {"level", "error"}, {"component", "http"}, {"msg", message}};
    auto text = boost::json::serialize(line) + "\n";
    std::lock_guard lock(mutex);
    std::fwrite(text.data(), 1, text.size(), stderr);
}

} // namespace

server_state::server_state(net::io_context& ioc_, http_server_config config_, async_request_handler handler_)
    : ioc(ioc_), config(std::move(config_)), handler(std::move(handler_)), acceptor(net::make_strand(ioc_)) {}

void server_state::log(std::string_view message) const noexcept {
    try {
        if (config.log_error)
            config.log_error(message);
        else
            log_to_stderr(message);
    } catch (...) {
        // Logging must never take a connection or the server down.
    }
}

bool server_state::try_register(const std::shared_ptr<http_session>& session) {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    sessions_.emplace(session->id(), session);
    return true;
}

void server_state::accept_loop_started() {
    std::lock_guard lock(mutex_);
    accepting_ = true;
}

void server_state::unregister(std::uint64_t id) {
    std::unique_lock lock(mutex_);
    sessions_.erase(id);
    finish_if_drained(lock);
}

void server_state::accept_loop_ended() {
    std::unique_lock lock(mutex_);
    accepting_ = false;
    finish_if_drained(lock);
}

std::size_t server_state::connection_count() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
}

void server_state::stop(std::chrono::milliseconds grace, std::function<void()> on_stopped) {
    std::vector<std::shared_ptr<http_session>> live;
    {
        std::unique_lock lock(mutex_);
        if (stopping_) {
            // A second stop only adds nothing; its callback is dropped (documented once-only).
            return;
        }
        stopping_ = true;
        stopping_flag_ = true;
        on_stopped_ = std::move(on_stopped);
        for (auto& [id, weak] : sessions_)
            if (auto s = weak.lock()) live.push_back(std::move(s));
        grace_timer_ = std::make_unique<net::steady_timer>(ioc, grace);
        grace_timer_->async_wait([self = shared_from_this()](const error_code& ec) {
            if (!ec) self->force_close_all();
        });
    }
    net::post(acceptor.get_executor(), [self = shared_from_this()] {
        error_code ignored;
        self->acceptor.close(ignored);
    });
    for (auto& s : live) s->stop_when_idle();
    std::unique_lock lock(mutex_);
    finish_if_drained(lock);
}

void server_state::force_close_all() {
    std::vector<std::shared_ptr<http_session>> live;
    {
        std::lock_guard lock(mutex_);
        for (auto& [id, weak] : sessions_)
            if (auto s = weak.lock()) live.push_back(std::move(s));
    }
    for (auto& s : live) s->force_close();
}

void server_state::finish_if_drained(std::unique_lock<std::mutex>& lock) {
    if (!stopping_ || finished_ || accepting_ || !sessions_.empty()) return;
    finished_ = true;
    auto done = std::move(on_stopped_);
    if (grace_timer_) grace_timer_->cancel();
    lock.unlock();
    if (done) net::post(ioc, std::move(done));
}

} // namespace sr::host::detail
