#pragma once
// The --listen value: an IP literal and a port ("127.0.0.1:8080", "[::1]:0"). Port 0 asks the
// kernel for a free port; the server reports the one it got.
#include <cstdint>
#include <string>
#include <string_view>

namespace sr::host {

struct listen_endpoint {
    std::string address; // an IPv4 or IPv6 literal, without brackets
    std::uint16_t port = 0;
};

// Throws std::invalid_argument with a message naming what is wrong.
listen_endpoint parse_listen_endpoint(std::string_view text);

} // namespace sr::host
