#pragma once
// Small blocking peers for the HTTP tests, written with plain Asio (not with the code under
// test): a scripted server for the client tests and a raw client for the server tests.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace sr::test {

using namespace std::chrono_literals;

struct tls_files {
    std::filesystem::path cert; // PEM certificate, CN and subjectAltName IP 127.0.0.1
    std::filesystem::path key;
};
// Generates a self-signed certificate with the openssl CLI into `dir`.
tls_files make_self_signed_cert(const std::filesystem::path& dir);

struct received_request {
    std::string method, target, body;
    std::vector<std::pair<std::string, std::string>> headers; // lower-case names
    const std::string* header(std::string_view name) const;
};

// One accepted connection, as the script sees it.
class server_connection {
public:
    server_connection(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context* tls);
    bool handshake_ok() const { return handshake_ok_; }
    // Reads one HTTP request; nullopt when the peer closed or sent garbage.
    std::optional<received_request> read_request();
    void write(std::string_view bytes);
    // Blocks until the peer closes the connection (true) or `limit` passes (false).
    bool wait_for_close(std::chrono::milliseconds limit);
    void close();
    int native_handle() { return socket_.native_handle(); }

private:
    std::size_t read_some(char* data, std::size_t size, boost::system::error_code& ec);

    boost::asio::ip::tcp::socket socket_;
    std::optional<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>> tls_;
    bool handshake_ok_ = true;
    std::string buffer_;
};

// Accepts connections on 127.0.0.1 (a free port) and runs `script` for each on its own
// thread. The destructor shuts every socket down, which wakes blocked scripts, and joins.
class scripted_server {
public:
    using script = std::function<void(server_connection&)>;
    explicit scripted_server(script s, const tls_files* tls = nullptr);
    ~scripted_server();
    std::uint16_t port() const { return port_; }
    int accepted() const { return accepted_; }
    int failed_handshakes() const { return failed_handshakes_; }

private:
    void accept_loop();

    script script_;
    boost::asio::io_context ioc_;
    std::unique_ptr<boost::asio::ssl::context> tls_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::uint16_t port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> accepted_{0};
    std::atomic<int> failed_handshakes_{0};
    std::mutex mutex_;
    std::vector<int> open_fds_;
    std::vector<std::thread> workers_;
    std::thread acceptor_thread_;
};

struct raw_response {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers; // lower-case names
    std::string body;
    bool keep_alive = false;
    const std::string* header(std::string_view name) const;
};

// A blocking client that writes exactly the bytes it is given, with deadlines on reads.
class raw_client {
public:
    explicit raw_client(std::uint16_t port);
    void send(std::string_view bytes);
    // One response; throws std::runtime_error on timeout, close before a response, or garbage.
    raw_response read_response(std::chrono::milliseconds limit = 5s, bool head = false);
    // True when the server closes the connection within `limit` (any data is discarded).
    bool closed_within(std::chrono::milliseconds limit);

private:
    bool fill(std::chrono::steady_clock::time_point deadline); // false: peer closed

    boost::asio::io_context ioc_;
    boost::asio::ip::tcp::socket socket_;
    std::string buffer_;
};

// A request as raw bytes.
std::string raw_request(std::string_view method, std::string_view target, std::string_view body = {},
                        std::string_view extra_headers = {});

} // namespace sr::test
