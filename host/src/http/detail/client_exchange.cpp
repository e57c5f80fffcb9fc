#include "http/detail/client_exchange.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>

#include <openssl/ssl.h>

#include <cctype>

namespace sr::host::detail {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool is_size_error(const error_code& ec) {
    return ec == http::error::body_limit || ec == http::error::header_limit ||
           ec == http::error::buffer_overflow;
}

} // namespace

client_exchange::client_exchange(std::shared_ptr<client_shared> shared, request_target where,
                                 http::request<http::string_body> message,
                                 std::chrono::milliseconds timeout, std::uint64_t max_body,
                                 http_client_callback done)
    : shared_(std::move(shared)), where_(std::move(where)), message_(std::move(message)),
      timeout_(timeout), max_body_(max_body), done_(std::move(done)),
      strand_(net::make_strand(shared_->ioc)), resolver_(strand_), deadline_(strand_),
      socket_(strand_) {}

void client_exchange::start() {
    // Posted, so that the callback can never run inside http_client::request().
    net::post(strand_, [self = shared_from_this()] {
        self->deadline_.expires_after(self->timeout_);
        self->deadline_.async_wait([self](const error_code& ec) {
            if (!ec) self->abort(abort_reason::timeout);
        });
        net::co_spawn(self->strand_, self->run(),
                      [self](std::exception_ptr e, http_client_response response) {
                          if (e) {
                              response = {};
                              response.status = SR_ERR_INTERNAL;
                              try {
                                  std::rethrow_exception(e);
                              } catch (const std::exception& ex) {
                                  response.error_message = std::string("internal error: ") + ex.what();
                              } catch (...) {
                                  response.error_message = "internal error";
                              }
                          }
                          self->finish(std::move(response));
                      });
    });
}

void client_exchange::cancel() {
    net::post(strand_, [self = shared_from_this()] { self->abort(abort_reason::cancelled); });
}

void client_exchange::abort(abort_reason why) {
    if (finished_ || aborted()) return;
    aborted_ = why;
    // Closing the socket ends whatever operation is pending; run() then sees aborted_.
    resolver_.cancel();
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
}

void client_exchange::finish(http_client_response response) noexcept {
    if (finished_) return;
    finished_ = true;
    deadline_.cancel();
    error_code ignored;
    socket_.close(ignored);
    auto done = std::move(done_);
    try {
        if (done) done(std::move(response));
    } catch (...) {
        // The callback is the caller's; its exception must not unwind into the io_context.
    }
}

std::string client_exchange::peer() const {
    return where_.host_header;
}

http_client_response client_exchange::failure(sr_status status, std::string what,
                                              const error_code& ec) const {
    http_client_response r;
    if (aborted_ == abort_reason::timeout) {
        r.status = SR_ERR_TIMEOUT;
        r.error_message = "no complete response from " + peer() + " within " +
                          std::to_string(timeout_.count()) + " ms";
    } else if (aborted_ == abort_reason::cancelled) {
        r.status = SR_ERR_CANCELLED;
        r.error_message = "request to " + peer() + " cancelled";
    } else {
        r.status = status;
        r.error_message = std::move(what) + (ec ? ": " + ec.message() : std::string());
    }
    return r;
}

net::awaitable<http_client_response> client_exchange::run() {
    if (aborted()) co_return failure(SR_ERR_CANCELLED, "", {});
    auto [rec, endpoints] = co_await resolver_.async_resolve(
        where_.host, where_.port, tcp::resolver::numeric_service, use_tuple);
    if (rec || aborted()) co_return failure(SR_ERR_CONNECT, "cannot resolve " + where_.host, rec);

    auto [cec, endpoint] = co_await net::async_connect(socket_, endpoints, use_tuple);
    if (cec || aborted()) co_return failure(SR_ERR_CONNECT, "cannot connect to " + peer(), cec);
    error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);

    if (!where_.tls) co_return co_await talk(socket_);
    co_return co_await handshake_and_talk();
}

net::awaitable<http_client_response> client_exchange::handshake_and_talk() {
    tls_.emplace(socket_, shared_->tls);
    auto& tls = *tls_;
    // SNI carries host names only (RFC 6066); the certificate check covers IP literals too.
    if (!where_.host_is_ip && !SSL_set_tlsext_host_name(tls.native_handle(), where_.host.c_str()))
        co_return failure(SR_ERR_CONNECT, "cannot set TLS server name for " + peer(), {});
    tls.set_verify_mode(net::ssl::verify_peer);
    tls.set_verify_callback(net::ssl::host_name_verification(where_.host));
    auto [hec] = co_await tls.async_handshake(net::ssl::stream_base::client, use_tuple);
    if (hec || aborted()) co_return failure(SR_ERR_CONNECT, "TLS handshake with " + peer() + " failed", hec);
    co_return co_await talk(tls);
}

template <class Stream>
net::awaitable<http_client_response> client_exchange::talk(Stream& stream) {
    auto [wec, written] = co_await http::async_write(stream, message_, use_tuple);
    if (wec || aborted()) co_return failure(SR_ERR_IO, "cannot send the request to " + peer(), wec);

    beast::flat_buffer buffer;
    for (;;) {
        http::response_parser<http::string_body> parser;
        parser.body_limit(max_body_);
        parser.header_limit(shared_->config.max_header_bytes);
        parser.skip(message_.method() == http::verb::head);
        auto [rec, read] = co_await http::async_read(stream, buffer, parser, use_tuple);
        if (rec == net::ssl::error::stream_truncated && !aborted() && parser.is_header_done() &&
            parser.need_eof()) {
            // The body ends at close and the peer closed TCP without TLS close_notify, as many
            // servers do; the message is complete by its own framing rule.
            rec = {};
            parser.put_eof(rec);
        }
        if (aborted()) co_return failure(SR_ERR_IO, "", rec);
        if (is_size_error(rec))
            co_return failure(SR_ERR_TOO_LARGE,
                              "the response from " + peer() + " exceeds the size limit", {});
        if (rec) co_return failure(SR_ERR_IO, "cannot read the response from " + peer(), rec);

        auto& msg = parser.get();
        unsigned code = msg.result_int();
        if (code >= 100 && code < 200 && code != 101) continue; // interim answer: read on

        http_client_response r;
        r.status = SR_OK;
        r.http_status = static_cast<int>(code);
        for (const auto& field : msg) r.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
        r.body = std::move(msg.body());
        co_return r;
    }
}

} // namespace sr::host::detail
