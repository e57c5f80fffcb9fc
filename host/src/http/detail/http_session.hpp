#pragma once
// One server connection: reads requests one after another (keep-alive) on its own strand,
// hands each to the (asynchronous) request handler, waits for its answer on the strand and
// writes it.
#include "http/detail/net.hpp"
#include "http/detail/server_state.hpp"

#include <atomic>
#include <memory>
#include <optional>

namespace sr::host::detail {

// The answer to one request, shared by every copy of its respond_fn.
struct response_slot {
    std::atomic<bool> called{false};       // the first respond wins, from any thread
    std::optional<http_response> response; // set on the strand
};

class http_session : public std::enable_shared_from_this<http_session> {
public:
    http_session(tcp::socket socket, std::shared_ptr<server_state> state);

    std::uint64_t id() const noexcept { return id_; }
    void start();
    // Thread-safe. Closes the connection if it waits for a request, otherwise lets the
    // request in flight finish and closes after its response.
    void stop_when_idle();
    // Thread-safe. Closes the connection now.
    void force_close();

private:
    net::awaitable<void> run();
    net::awaitable<error_code> read_request();
    net::awaitable<bool> send(http_response response, bool keep_alive, bool head);
    net::awaitable<void> linger_close();
    // Hands the request to the handler and waits for its answer; nullopt when the connection
    // was closed meanwhile (forced stop).
    net::awaitable<std::optional<http_response>> handle(http_request request);
    respond_fn make_respond(const std::shared_ptr<response_slot>& slot);
    void on_response(const std::shared_ptr<response_slot>& slot, http_response response);
    void close() noexcept;

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::shared_ptr<server_state> state_;
    std::uint64_t id_;
    net::steady_timer response_wait_;        // woken (cancelled) when the answer arrives
    std::shared_ptr<response_slot> pending_; // the request awaiting its answer (strand only)
    bool closed_ = false;                    // touched only on the strand
    bool reading_ = false;  // waiting in async_read (touched only on the strand)
    bool stopping_ = false; // touched only on the strand
};

} // namespace sr::host::detail
