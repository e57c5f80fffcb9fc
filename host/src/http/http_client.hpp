#pragma once
// The host's asynchronous HTTP(S) client, behind the sr.http/1 service. Runs on the caller's
// io_context; DNS through the async resolver; TLS through OpenSSL with peer and host name
// verification against the system CA store. Each exchange has one deadline for everything
// (DNS, connect, TLS, write, read) and a size limit for the response body.
// Beast stays inside the .cpp files: this header is cheap to include.
#include "http/http_message.hpp"

#include <scenario/sr_plugin.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace sr::host {

namespace detail {
struct client_shared;
}

struct http_client_config {
    std::chrono::milliseconds default_timeout{30'000};
    std::uint64_t default_max_response_bytes = 16ull * 1024 * 1024;
    std::uint32_t max_header_bytes = 64 * 1024; // a larger response header is SR_ERR_TOO_LARGE
    std::string extra_ca_file;                  // PEM file trusted besides the system store
    std::string user_agent = "scenario-runtime/0.1";
};

struct http_client_request {
    std::string method = "GET";
    std::string url; // absolute http:// or https:// URL
    std::vector<http_header> headers;
    std::string body;
    std::chrono::milliseconds timeout{0}; // whole exchange; 0: the client default
    std::uint64_t max_response_bytes = 0; // body limit; 0: the client default
};

struct http_client_response {
    sr_status status = SR_OK; // SR_OK when a response arrived, whatever its HTTP status
    int http_status = 0;      // 0 unless status is SR_OK
    std::vector<http_header> headers; // names in lower case
    std::string body;
    std::string error_message; // transport error detail (never the URL's query or headers)
};

using http_client_callback = std::function<void(http_client_response&&)>;

class http_client {
public:
    // Throws std::runtime_error when the extra CA file cannot be loaded.
    http_client(boost::asio::io_context& ioc, http_client_config config = {});
    ~http_client();
    http_client(const http_client&) = delete;
    http_client& operator=(const http_client&) = delete;

    // Starts one exchange. Throws std::invalid_argument when the request is malformed (not
    // an absolute http(s) URL, credentials in the URL, a bad method or header); `done` then
    // never runs. Otherwise `done` runs exactly once, on an io_context thread, never inside
    // request(). Returns a thread-safe canceller: calling it ends the exchange early (the
    // socket is closed) with SR_ERR_CANCELLED; it does nothing once the exchange has ended.
    // `Expect` is never sent (servers such as PHP's never answer 100-continue); the client
    // sets Host (unless given), Content-Length, Connection and User-Agent (unless given).
    std::function<void()> request(http_client_request request, http_client_callback done);

    const http_client_config& config() const noexcept;

private:
    std::shared_ptr<detail::client_shared> shared_;
};

} // namespace sr::host
