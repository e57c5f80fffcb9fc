#pragma once
// What the http_client and its exchanges in flight share; exchanges hold it by shared_ptr so
// the TLS context outlives the client object while they finish.
#include "http/detail/net.hpp"
#include "http/http_client.hpp"

#include <boost/asio/ssl/context.hpp>

namespace sr::host::detail {

struct client_shared {
    client_shared(net::io_context& ioc_, http_client_config config_)
        : ioc(ioc_), config(std::move(config_)), tls(net::ssl::context::tls_client) {}

    net::io_context& ioc;
    const http_client_config config;
    net::ssl::context tls;
};

// Where one exchange goes, from its URL.
struct request_target {
    bool tls = false;
    bool host_is_ip = false;
    std::string host;        // for DNS, SNI and certificate checks (IPv6 without brackets)
    std::string port;        // numeric
    std::string host_header; // host[:port] as sent in Host
    std::string target;      // origin-form path and query
};

} // namespace sr::host::detail
