#include "test_servers.hpp"

#include <boost/beast/http.hpp>

#include <fmt/format.h>
#include <poll.h>
#include <sys/socket.h>

#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace sr::test {
namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// True when `fd` has data (or EOF) before `limit`.
bool wait_readable(int fd, std::chrono::milliseconds limit) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(limit.count())) > 0;
}

template <class Parser>
bool feed(Parser& parser, std::string& buffer) {
    while (!buffer.empty() && !parser.is_done()) {
        error_code ec;
        auto n = parser.put(net::buffer(buffer), ec);
        buffer.erase(0, n);
        if (ec == http::error::need_more) return false;
        if (ec) throw std::runtime_error("malformed HTTP message: " + ec.message());
        if (n == 0) return false;
    }
    return parser.is_done();
}

const std::string* find(const std::vector<std::pair<std::string, std::string>>& h, std::string_view name) {
    for (const auto& [n, v] : h)
        if (n == name) return &v;
    return nullptr;
}

} // namespace

tls_files make_self_signed_cert(const std::filesystem::path& dir) {
    tls_files f{dir / "cert.pem", dir / "key.pem"};
    auto cmd = fmt::format(
        "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
        "-addext subjectAltName=IP:127.0.0.1 -keyout '{}' -out '{}' >/dev/null 2>&1",
        f.key.string(), f.cert.string());
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("openssl req failed: " + cmd);
    return f;
}

const std::string* received_request::header(std::string_view name) const { return find(headers, name); }
const std::string* raw_response::header(std::string_view name) const { return find(headers, name); }

// ---- server_connection ---------------------------------------------------------------

server_connection::server_connection(tcp::socket socket, net::ssl::context* tls) : socket_(std::move(socket)) {
    if (!tls) return;
    tls_.emplace(socket_, *tls);
    error_code ec;
    tls_->handshake(net::ssl::stream_base::server, ec);
    handshake_ok_ = !ec;
}

std::size_t server_connection::read_some(char* data, std::size_t size, error_code& ec) {
    if (tls_) return tls_->read_some(net::buffer(data, size), ec);
    return socket_.read_some(net::buffer(data, size), ec);
}

std::optional<received_request> server_connection::read_request() {
    http::request_parser<http::string_body> parser;
    parser.eager(true);
    parser.body_limit(64 * 1024 * 1024);
    try {
        while (!feed(parser, buffer_)) {
            char chunk[16 * 1024];
            error_code ec;
            auto n = read_some(chunk, sizeof chunk, ec);
            if (ec) return std::nullopt;
            buffer_.append(chunk, n);
        }
    } catch (const std::exception&) {
        return std::nullopt;
    }
    auto& msg = parser.get();
    received_request r{std::string(msg.method_string()), std::string(msg.target()), msg.body(), {}};
    for (const auto& f : msg) r.headers.emplace_back(lower(f.name_string()), std::string(f.value()));
    return r;
}

void server_connection::write(std::string_view bytes) {
    error_code ec;
    if (tls_)
        net::write(*tls_, net::buffer(bytes), ec);
    else
        net::write(socket_, net::buffer(bytes), ec);
}

bool server_connection::wait_for_close(std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || !wait_readable(socket_.native_handle(), left)) return false;
        char chunk[4096];
        error_code ec;
        read_some(chunk, sizeof chunk, ec);
        if (ec) return true;
    }
}

void server_connection::close() {
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
}

// ---- scripted_server -----------------------------------------------------------------

scripted_server::scripted_server(script s, const tls_files* tls)
    : script_(std::move(s)), acceptor_(ioc_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)) {
    if (tls) {
        tls_ = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
        tls_->use_certificate_chain_file(tls->cert.string());
        tls_->use_private_key_file(tls->key.string(), net::ssl::context::pem);
    }
    port_ = acceptor_.local_endpoint().port();
    acceptor_thread_ = std::thread([this] { accept_loop(); });
}

void scripted_server::accept_loop() {
    while (!stopping_) {
        if (!wait_readable(acceptor_.native_handle(), 50ms)) continue;
        error_code ec;
        tcp::socket socket(ioc_);
        acceptor_.accept(socket, ec);
        if (ec) continue;
        ++accepted_;
        std::lock_guard lock(mutex_);
        if (stopping_) break;
        open_fds_.push_back(socket.native_handle());
        workers_.emplace_back([this, s = std::move(socket)]() mutable {
            server_connection conn(std::move(s), tls_.get());
            if (!conn.handshake_ok()) {
                ++failed_handshakes_;
                return;
            }
            try {
                script_(conn);
            } catch (...) {
            }
        });
    }
}

scripted_server::~scripted_server() {
    stopping_ = true;
    acceptor_thread_.join();
    {
        std::lock_guard lock(mutex_);
        // Wakes scripts blocked in reads; the sockets are closed by their own threads.
        for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& t : workers_) t.join();
}

// ---- raw_client ----------------------------------------------------------------------

raw_client::raw_client(std::uint16_t port) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
}

void raw_client::send(std::string_view bytes) {
    error_code ec;
    net::write(socket_, net::buffer(bytes), ec);
}

bool raw_client::fill(std::chrono::steady_clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !wait_readable(socket_.native_handle(), left))
        throw std::runtime_error("timed out waiting for the server");
    char chunk[16 * 1024];
    error_code ec;
    auto n = socket_.read_some(net::buffer(chunk), ec);
    if (ec) return false;
    buffer_.append(chunk, n);
    return true;
}

raw_response raw_client::read_response(std::chrono::milliseconds limit, bool head) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    http::response_parser<http::string_body> parser;
    parser.eager(true);
    parser.skip(head);
    while (!feed(parser, buffer_)) {
        if (!fill(deadline)) {
            error_code ec;
            parser.put_eof(ec);
            if (ec || !parser.is_done()) throw std::runtime_error("connection closed before a full response");
            break;
        }
    }
    auto& msg = parser.get();
    raw_response r;
    r.status = static_cast<int>(msg.result_int());
    for (const auto& f : msg) r.headers.emplace_back(lower(f.name_string()), std::string(f.value()));
    r.body = msg.body();
    r.keep_alive = msg.keep_alive();
    return r;
}

bool raw_client::closed_within(std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    try {
        while (fill(deadline)) buffer_.clear();
        return true;
    } catch (const std::runtime_error&) {
        return false;
    }
}

std::string raw_request(std::string_view method, std::string_view target, std::string_view body,
                        std::string_view extra_headers) {
    std::string r = fmt::format("{} {} HTTP/1.1\r\nHost: 127.0.0.1\r\n{}", method, target, extra_headers);
    if (!body.empty() || method == "POST" || method == "PUT") r += fmt::format("Content-Length: {}\r\n", body.size());
    r += "\r\n";
    r += body;
    return r;
}

} // namespace sr::test
