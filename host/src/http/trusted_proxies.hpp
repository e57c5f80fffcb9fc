#pragma once
// Who the client is behind a reverse proxy. The TCP peer of a request is the proxy, so per-IP
// rate limits and the audit log's IP would see one caller for everyone. Peers listed as
// trusted proxies (`scenariod --trusted-proxies`) have their X-Forwarded-For believed; nobody
// else's is, since any client can send that header.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sr::host {

class trusted_proxies {
public:
    // Comma-separated IPv4 or IPv6 addresses or networks ("10.0.0.0/8", "::1", "fd00::/8").
    // Throws std::invalid_argument naming the first entry that is not one. "" trusts nobody.
    static trusted_proxies parse(std::string_view list);

    // Whether `address` (textual IPv4 or IPv6) is in one of the networks. An IPv4-mapped IPv6
    // address ("::ffff:10.0.0.1") counts as its IPv4 address.
    bool contains(std::string_view address) const;
    bool empty() const noexcept { return networks_.empty(); }

private:
    struct network {
        std::array<std::uint8_t, 16> bytes{}; // IPv4 as its mapped IPv6 form
        unsigned prefix = 128;                // counted on the 128-bit form
    };
    std::vector<network> networks_;
};

// The client's address: `peer` itself, unless `peer` is a trusted proxy; then the rightmost
// address of X-Forwarded-For (`forwarded_for`, null when absent) that is not a trusted proxy,
// or the leftmost when every one is. A malformed entry stops the walk there: what the proxies
// to its right reported is kept, the rest (which a client may have forged) is not.
std::string client_address(const std::string& peer, const std::string* forwarded_for, const trusted_proxies& proxies);

} // namespace sr::host
