#include "http/listen_endpoint.hpp"

#include <boost/asio/ip/address.hpp>

#include <charconv>
#include <stdexcept>

namespace sr::host {

listen_endpoint parse_listen_endpoint(std::string_view text) {
    auto fail = [&](const char* why) {
        return std::invalid_argument("invalid listen endpoint '" + std::string(text) + "': " + why);
    };
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) throw fail("expected ADDRESS:PORT");
    std::string_view host = text.substr(0, colon);
    std::string_view port = text.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string_view::npos) {
        throw fail("write an IPv6 address in brackets, e.g. [::1]:8080");
    }
    if (host.empty()) throw fail("missing address");

    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(std::string(host), ec);
    if (ec) throw fail("the address must be an IP literal");

    unsigned value = 0;
    auto [end, err] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || err != std::errc() || end != port.data() + port.size() || value > 65535)
        throw fail("the port must be a number from 0 to 65535");
    return {address.to_string(), static_cast<std::uint16_t>(value)};
}

} // namespace sr::host
