#pragma once
// One server connection: reads requests one after another (keep-alive) on its own strand,
// hands each to the request handler and writes the answer.
#include "http/detail/net.hpp"
#include "http/detail/server_state.hpp"

#include <memory>
#include <optional>

namespace sr::host::detail {

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
    http_response dispatch(const http_request& request) const;
    void close() noexcept;

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::shared_ptr<server_state> state_;
    std::uint64_t id_;
    bool reading_ = false;  // waiting in async_read (touched only on the strand)
    bool stopping_ = false; // touched only on the strand
};

} // namespace sr::host::detail
