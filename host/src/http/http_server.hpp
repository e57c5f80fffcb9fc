#pragma once
// The HTTP/1.1 server: Boost.Beast on the caller's io_context (run by a few threads), one
// strand per connection, a coroutine per connection, never a thread per request. Keep-alive;
// every read has a body limit and a deadline. Requests go to a pure `request_handler`, or to
// an `async_request_handler` that answers later through its respond_fn (from any thread), so
// a handler can wait on the database without blocking an I/O thread.
// Beast stays inside the .cpp files: this header is cheap to include.
#include "http/http_message.hpp"
#include "http/trusted_proxies.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace boost::asio {
class io_context;
}

namespace sr::host {

namespace detail {
struct server_state;
}

struct http_server_config {
    std::string listen = "127.0.0.1:8080"; // see parse_listen_endpoint(); port 0 picks one
    std::size_t body_limit = 1024 * 1024;  // larger bodies get 413
    std::size_t header_limit = 16 * 1024;  // larger headers get 431
    // Deadline for reading one whole request (header and body), which is also how long an
    // idle keep-alive connection is kept. A slower client is disconnected.
    std::chrono::milliseconds read_timeout{30'000};
    std::chrono::milliseconds write_timeout{30'000};
    // Peers whose X-Forwarded-For names the client (http_request::remote_address); by default
    // nobody's, and the TCP peer is the client.
    trusted_proxies proxies;
    // Where unexpected failures are reported (one message per call). Default: a JSON line on
    // stderr.
    std::function<void(std::string_view message)> log_error;
};

using request_handler = std::function<http_response(const http_request&)>;
// Must call respond exactly once (now or later, from any thread). A handler that throws before
// answering gets a 500 problem response. While the answer is pending the connection reads
// nothing more; a graceful stop waits for it up to its grace period, then closes.
using async_request_handler = std::function<void(http_request, respond_fn)>;

class http_server {
public:
    http_server(boost::asio::io_context& ioc, http_server_config config, request_handler handler);
    http_server(boost::asio::io_context& ioc, http_server_config config, async_request_handler handler);
    // Stops without grace if stop() was not called. Destroy it before the io_context.
    ~http_server();
    http_server(const http_server&) = delete;
    http_server& operator=(const http_server&) = delete;

    // Binds, listens and starts accepting. Returns the bound port. Throws
    // std::invalid_argument for a bad listen value, std::system_error when binding fails,
    // std::logic_error when called twice.
    std::uint16_t start();
    std::uint16_t port() const noexcept;

    // Graceful stop, callable from any thread and without blocking: stops accepting, closes
    // idle connections, lets requests in flight finish (their connections close after the
    // response), and after `grace` closes whatever is left. `on_stopped` then runs once on an
    // io_context thread.
    void stop(std::chrono::milliseconds grace, std::function<void()> on_stopped = {});

    std::size_t connection_count() const noexcept;

private:
    std::shared_ptr<detail::server_state> state_;
};

} // namespace sr::host
