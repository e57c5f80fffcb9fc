#include "http/http_server.hpp"

#include "http/detail/http_session.hpp"
#include "http/detail/server_state.hpp"
#include "http/listen_endpoint.hpp"

#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace sr::host {
namespace {

using namespace detail;

bool is_resource_exhaustion(const error_code& ec) {
    return ec == net::error::no_descriptors || ec == net::error::no_buffer_space ||
           ec == net::error::no_memory || ec.value() == ENFILE;
}

net::awaitable<void> accept_loop(std::shared_ptr<server_state> state) {
    for (;;) {
        auto [ec, socket] = co_await state->acceptor.async_accept(net::make_strand(state->ioc), use_tuple);
        if (ec == net::error::operation_aborted || !state->acceptor.is_open()) break;
        if (ec) {
            state->log("http accept failed: " + ec.message());
            if (is_resource_exhaustion(ec)) {
                // Out of descriptors: give connections time to close instead of spinning.
                net::steady_timer pause(state->ioc, std::chrono::milliseconds(100));
                co_await pause.async_wait(use_tuple);
            }
            continue;
        }
        auto session = std::make_shared<http_session>(std::move(socket), state);
        if (!state->try_register(session)) continue; // stopping: the socket closes with it
        session->start();
    }
}

} // namespace

http_server::http_server(boost::asio::io_context& ioc, http_server_config config, request_handler handler)
    : http_server(ioc, std::move(config),
                  async_request_handler([handler = std::move(handler)](http_request request, respond_fn respond) {
                      respond(handler(request));
                  })) {}

http_server::http_server(boost::asio::io_context& ioc, http_server_config config, async_request_handler handler)
    : state_(std::make_shared<server_state>(ioc, std::move(config), std::move(handler))) {}

http_server::~http_server() {
    state_->stop(std::chrono::milliseconds(0), {});
}

std::uint16_t http_server::start() {
    if (state_->acceptor.is_open()) throw std::logic_error("http_server::start() called twice");
    auto where = parse_listen_endpoint(state_->config.listen);
    tcp::endpoint endpoint(net::ip::make_address(where.address), where.port);
    auto& acceptor = state_->acceptor;
    acceptor.open(endpoint.protocol());
    acceptor.set_option(net::socket_base::reuse_address(true));
    error_code ec;
    acceptor.bind(endpoint, ec);
    if (ec) {
        error_code ignored;
        acceptor.close(ignored);
        throw std::system_error(ec, "cannot listen on " + state_->config.listen);
    }
    acceptor.listen(net::socket_base::max_listen_connections);
    state_->port = acceptor.local_endpoint().port();
    state_->accept_loop_started();
    net::co_spawn(acceptor.get_executor(), accept_loop(state_),
                  [state = state_](std::exception_ptr e) {
                      if (e) {
                          try {
                              std::rethrow_exception(e);
                          } catch (const std::exception& ex) {
                              state->log(std::string("http accept loop failed: ") + ex.what());
                          } catch (...) {
                              state->log("http accept loop failed");
                          }
                      }
                      state->accept_loop_ended();
                  });
    return state_->port;
}

std::uint16_t http_server::port() const noexcept {
    return state_->port;
}

void http_server::stop(std::chrono::milliseconds grace, std::function<void()> on_stopped) {
    state_->stop(grace, std::move(on_stopped));
}

std::size_t http_server::connection_count() const noexcept {
    return state_->connection_count();
}

} // namespace sr::host
