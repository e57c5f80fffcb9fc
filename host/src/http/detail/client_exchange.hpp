#pragma once
// One HTTP(S) exchange of the client: resolve, connect, TLS handshake, write, read, all on
// one strand under one deadline. Ends by calling its callback exactly once.
#include "http/detail/client_shared.hpp"
#include "http/detail/net.hpp"

#include <boost/asio/ssl/stream.hpp>

#include <memory>
#include <optional>

namespace sr::host::detail {

class client_exchange : public std::enable_shared_from_this<client_exchange> {
public:
    client_exchange(std::shared_ptr<client_shared> shared, request_target where,
                    http::request<http::string_body> message, std::chrono::milliseconds timeout,
                    std::uint64_t max_body, http_client_callback done);

    void start();
    // Thread-safe; ends the exchange with SR_ERR_CANCELLED unless it already ended.
    void cancel();

private:
    enum class abort_reason { none, timeout, cancelled };

    net::awaitable<http_client_response> run();
    template <class Stream>
    net::awaitable<http_client_response> talk(Stream& stream);
    net::awaitable<http_client_response> handshake_and_talk();
    void abort(abort_reason why);
    void finish(http_client_response response) noexcept;
    bool aborted() const noexcept { return aborted_ != abort_reason::none; }
    http_client_response failure(sr_status status, std::string what, const error_code& ec) const;
    std::string peer() const;

    std::shared_ptr<client_shared> shared_;
    request_target where_;
    http::request<http::string_body> message_;
    std::chrono::milliseconds timeout_;
    std::uint64_t max_body_;
    http_client_callback done_;

    net::strand<net::io_context::executor_type> strand_;
    tcp::resolver resolver_;
    net::steady_timer deadline_;
    tcp::socket socket_;
    std::optional<net::ssl::stream<tcp::socket&>> tls_;
    abort_reason aborted_ = abort_reason::none; // touched only on the strand
    bool finished_ = false;                     // touched only on the strand
};

} // namespace sr::host::detail
