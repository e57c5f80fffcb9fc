#include "http/trusted_proxies.hpp"

#include <charconv>
#include <optional>
#include <stdexcept>

#include <boost/asio/ip/address.hpp>

namespace sr::host {

namespace {

using bytes16 = std::array<std::uint8_t, 16>;

std::string_view trim_spaces(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// The 128-bit form of a textual address (IPv4 mapped into IPv6), and whether it was IPv4.
std::optional<std::pair<bytes16, bool>> parse_address(std::string_view text) {
    boost::system::error_code ec;
    const auto a = boost::asio::ip::make_address(std::string(text), ec);
    if (ec) return std::nullopt;
    namespace ip = boost::asio::ip;
    if (a.is_v4()) return std::make_pair(ip::make_address_v6(ip::v4_mapped, a.to_v4()).to_bytes(), true);
    return std::make_pair(a.to_v6().to_bytes(), false);
}

bool same_prefix(const bytes16& a, const bytes16& b, unsigned prefix) {
    for (unsigned i = 0; i < 16 && prefix > 0; ++i, prefix = prefix >= 8 ? prefix - 8 : 0) {
        const unsigned bits = prefix >= 8 ? 8 : prefix;
        const auto mask = static_cast<std::uint8_t>(0xFF << (8 - bits));
        if ((a[i] & mask) != (b[i] & mask)) return false;
    }
    return true;
}

} // namespace

trusted_proxies trusted_proxies::parse(std::string_view list) {
    trusted_proxies out;
    while (!list.empty()) {
        const auto comma = list.find(',');
        const auto entry = trim_spaces(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        if (entry.empty()) continue;
        const auto slash = entry.find('/');
        const auto parsed = parse_address(entry.substr(0, slash));
        if (!parsed) throw std::invalid_argument("not an IP address or network: " + std::string(entry));
        const unsigned width = parsed->second ? 32 : 128;
        unsigned prefix = width;
        if (slash != std::string_view::npos) {
            const auto digits = entry.substr(slash + 1);
            const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
            if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || prefix > width)
                throw std::invalid_argument("not an IP address or network: " + std::string(entry));
        }
        out.networks_.push_back({parsed->first, prefix + (128 - width)});
    }
    return out;
}

bool trusted_proxies::contains(std::string_view address) const {
    if (networks_.empty()) return false;
    const auto parsed = parse_address(trim_spaces(address));
    if (!parsed) return false;
    for (const auto& n : networks_)
        if (same_prefix(parsed->first, n.bytes, n.prefix)) return true;
    return false;
}

std::string client_address(const std::string& peer, const std::string* forwarded_for, const trusted_proxies& proxies) {
    if (forwarded_for == nullptr || !proxies.contains(peer)) return peer;
    std::string_view rest = *forwarded_for;
    std::string client = peer;
    while (!rest.empty()) {
        const auto comma = rest.rfind(',');
        const auto entry = trim_spaces(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
        if (!parse_address(entry)) break; // forged or garbled: trust what lies to its right
        client = std::string(entry);
        if (!proxies.contains(entry)) break;
    }
    return client;
}

} // namespace sr::host
