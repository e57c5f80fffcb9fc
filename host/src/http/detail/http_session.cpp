#include "http/detail/http_session.hpp"

#include "http/problem.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/write.hpp>
#include <boost/url/parse.hpp>

#include <cctype>

namespace sr::host::detail {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The Beast message as our plain request; nullopt when the target is not origin-form.
std::optional<http_request> to_http_request(http::request<http::string_body>&& msg,
                                            std::string remote) {
    auto target = boost::urls::parse_origin_form(msg.target());
    if (!target) return std::nullopt;
    http_request req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    req.path = std::string(target->encoded_path());
    req.query = std::string(target->encoded_query());
    for (const auto& field : msg) req.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
    req.body = std::move(msg.body());
    req.remote_address = std::move(remote);
    return req;
}

// The answer to a read that failed, or nullopt when the connection just closes.
std::optional<http_response> answer_to_read_error(const error_code& ec) {
    if (ec.category() != http::make_error_code(http::error::end_of_stream).category())
        return std::nullopt; // timeout, reset, cancelled: nobody to answer
    if (ec == http::error::end_of_stream || ec == http::error::partial_message) return std::nullopt;
    if (ec == http::error::body_limit)
        return problem_response(413, "body_too_large", "Content Too Large",
                                "the request body exceeds the server's limit");
    if (ec == http::error::header_limit)
        return problem_response(431, "header_too_large", "Request Header Fields Too Large",
                                "the request header exceeds the server's limit");
    return problem_response(400, "malformed_request", "Bad Request",
                            "the request is not valid HTTP/1.1: " + ec.message());
}

} // namespace

http_session::http_session(tcp::socket socket, std::shared_ptr<server_state> state)
    : stream_(std::move(socket)), state_(std::move(state)), id_(state_->next_id()),
      response_wait_(stream_.get_executor()) {}

void http_session::start() {
    net::co_spawn(stream_.get_executor(), run(),
                  [self = shared_from_this()](std::exception_ptr e) {
                      if (e) {
                          try {
                              std::rethrow_exception(e);
                          } catch (const std::exception& ex) {
                              self->state_->log(std::string("http connection failed: ") + ex.what());
                          } catch (...) {
                              self->state_->log("http connection failed: unknown exception");
                          }
                          self->close();
                      }
                      self->state_->unregister(self->id_);
                  });
}

void http_session::stop_when_idle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
        self->stopping_ = true;
        // Nothing of a next request has arrived: nobody is waiting for an answer.
        if (self->reading_ && self->buffer_.size() == 0 && self->parser_ && !self->parser_->got_some())
            self->stream_.cancel();
    });
}

void http_session::force_close() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
        self->close();
        self->closed_ = true;
        self->response_wait_.cancel(); // a handler still working gets no connection to answer
    });
}

void http_session::close() noexcept {
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
}

respond_fn http_session::make_respond(const std::shared_ptr<response_slot>& slot) {
    // The session is held weakly and its strand reached through it: a respond_fn kept after
    // the connection (or the server's io_context) is gone must not keep a strand alive, since a
    // strand destroyed after its io_context touches freed memory.
    std::weak_ptr<http_session> weak = weak_from_this();
    return [slot, weak](http_response response) {
        if (slot->called.exchange(true)) return;
        auto self = weak.lock();
        if (!self) return; // the connection is gone: nobody to answer
        auto executor = self->stream_.get_executor();
        // Inline when already on this connection's strand (a sync route), posted otherwise.
        net::dispatch(executor, [slot, self = std::move(self), response = std::move(response)]() mutable {
            self->on_response(slot, std::move(response));
        });
    };
}

void http_session::on_response(const std::shared_ptr<response_slot>& slot, http_response response) {
    if (slot != pending_) return; // the connection gave up on this request
    slot->response = std::move(response);
    response_wait_.cancel();
}

net::awaitable<std::optional<http_response>> http_session::handle(http_request request) {
    auto slot = std::make_shared<response_slot>();
    pending_ = slot;
    auto respond = make_respond(slot);
    std::string where = request.method + " " + request.path;
    std::optional<std::string> failure;
    try {
        state_->handler(std::move(request), respond);
    } catch (const std::exception& e) {
        failure = "http handler failed for " + where + ": " + e.what();
    } catch (...) {
        failure = "http handler failed for " + where;
    }
    if (failure) {
        state_->log(*failure);
        // The detail stays in the log: an exception message may carry anything.
        respond(problem_response(500, "internal_error", "Internal Server Error", "the request could not be handled"));
    }
    while (!slot->response && !closed_) {
        response_wait_.expires_at(net::steady_timer::time_point::max());
        co_await response_wait_.async_wait(use_tuple);
    }
    pending_.reset();
    co_return std::move(slot->response);
}

net::awaitable<void> http_session::run() {
    error_code ignored;
    auto remote = stream_.socket().remote_endpoint(ignored).address().to_string();
    while (!stopping_ && !state_->is_stopping()) {
        parser_.emplace();
        parser_->body_limit(state_->config.body_limit);
        parser_->header_limit(static_cast<std::uint32_t>(state_->config.header_limit));
        stream_.expires_after(state_->config.read_timeout);
        reading_ = true;
        auto ec = co_await read_request();
        reading_ = false;
        if (ec) {
            if (auto answer = answer_to_read_error(ec)) {
                if (co_await send(std::move(*answer), false, false)) co_await linger_close();
            }
            break;
        }
        bool keep_alive = parser_->keep_alive();
        auto request = to_http_request(parser_->release(), remote);
        if (!request) {
            auto bad = problem_response(400, "malformed_request", "Bad Request",
                                        "the request target must be an absolute path");
            if (co_await send(std::move(bad), false, false)) co_await linger_close();
            break;
        }
        if (!state_->config.proxies.empty())
            request->remote_address =
                client_address(remote, request->header("x-forwarded-for"), state_->config.proxies);
        bool head = request->method == "HEAD";
        auto response = co_await handle(std::move(*request));
        if (!response) break;
        keep_alive = keep_alive && !stopping_ && !state_->is_stopping();
        if (!co_await send(std::move(*response), keep_alive, head) || !keep_alive) break;
    }
    close();
}

// Reads one request under the deadline already set. A client that announced its body with
// "Expect: 100-continue" (curl does for bodies over 1 KiB) waits for our go-ahead before
// sending it; without one it stalls about a second. Oversized bodies are refused before that,
// from the header alone.
net::awaitable<error_code> http_session::read_request() {
    auto [ec, n] = co_await http::async_read_header(stream_, buffer_, *parser_, use_tuple);
    if (ec || parser_->is_done()) co_return ec;
    const auto& header = parser_->get();
    if (beast::iequals(header[http::field::expect], "100-continue")) {
        static constexpr std::string_view go_ahead = "HTTP/1.1 100 Continue\r\n\r\n";
        auto [wec, w] = co_await net::async_write(stream_, net::buffer(go_ahead), use_tuple);
        if (wec) co_return wec;
    }
    auto [bec, b] = co_await http::async_read(stream_, buffer_, *parser_, use_tuple);
    co_return bec;
}

net::awaitable<bool> http_session::send(http_response response, bool keep_alive, bool head) {
    http::response<http::string_body> msg;
    msg.version(11);
    int status = (response.status >= 100 && response.status <= 999) ? response.status : 500;
    msg.result(static_cast<unsigned>(status));
    for (auto& [name, value] : response.headers) msg.insert(name, value);
    auto size = response.body.size();
    msg.body() = std::move(response.body);
    msg.keep_alive(keep_alive);
    msg.prepare_payload();
    if (head) {
        // A HEAD answer announces the GET body's length but carries no body.
        msg.body().clear();
        msg.content_length(size);
    }
    stream_.expires_after(state_->config.write_timeout);
    auto [ec, n] = co_await http::async_write(stream_, msg, use_tuple);
    co_return !ec;
}

// After an error answer the client may still be sending (e.g. the rest of a body that was
// too large). Closing with unread data makes the kernel send RST, which can destroy the
// answer before the client reads it, so read and discard for a short while first.
net::awaitable<void> http_session::linger_close() {
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::min<std::chrono::milliseconds>(state_->config.read_timeout,
                                                              std::chrono::milliseconds(2000)));
    char scratch[16 * 1024];
    for (;;) {
        auto [ec, n] = co_await stream_.async_read_some(net::buffer(scratch), use_tuple);
        if (ec) break;
    }
}

} // namespace sr::host::detail
