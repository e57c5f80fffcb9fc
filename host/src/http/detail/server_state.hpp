#pragma once
// What the listener and every connection of one http_server share. Connections hold it by
// shared_ptr, so it outlives the http_server object while they finish.
#include "http/detail/net.hpp"
#include "http/http_server.hpp"

#include <atomic>
#include <mutex>
#include <unordered_map>

namespace sr::host::detail {

class http_session;

struct server_state : std::enable_shared_from_this<server_state> {
    server_state(net::io_context& ioc, http_server_config config, async_request_handler handler);

    // False when the server is stopping: the caller closes the new connection.
    bool try_register(const std::shared_ptr<http_session>& session);
    void accept_loop_started();
    void unregister(std::uint64_t id);
    void accept_loop_ended();

    // Starts the graceful stop (see http_server::stop).
    void stop(std::chrono::milliseconds grace, std::function<void()> on_stopped);
    std::size_t connection_count() const;
    // Readable from any thread without the lock: a handler may finish before the stop
    // request reaches its connection's strand.
    bool is_stopping() const noexcept { return stopping_flag_.load(std::memory_order_acquire); }

    void log(std::string_view message) const noexcept;
    std::uint64_t next_id() noexcept { return next_id_++; }

    net::io_context& ioc;
    const http_server_config config;
    const async_request_handler handler;
    tcp::acceptor acceptor;
    std::atomic<std::uint16_t> port{0};

private:
    void finish_if_drained(std::unique_lock<std::mutex>& lock);
    void force_close_all();

    mutable std::mutex mutex_;
    std::unordered_map<std::uint64_t, std::weak_ptr<http_session>> sessions_;
    bool stopping_ = false;
    std::atomic<bool> stopping_flag_{false};
    bool accepting_ = false;
    bool finished_ = false;
    std::function<void()> on_stopped_;
    std::unique_ptr<net::steady_timer> grace_timer_;
    std::atomic<std::uint64_t> next_id_{1};
};

} // namespace sr::host::detail
