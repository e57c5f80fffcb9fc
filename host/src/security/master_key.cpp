#include "security/master_key.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>

#include "security/detail/encoding.hpp"
#include "security/detail/hmac.hpp"
#include "security/vault_error.hpp"

namespace sr::host {

namespace {

std::string_view trim_whitespace(std::string_view s) {
    constexpr std::string_view space = " \t\r\n";
    auto first = s.find_first_not_of(space);
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(space) - first + 1);
}

bool all_hex(std::string_view s) {
    return s.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
}

void wipe(std::string& s) {
    if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
}

} // namespace

master_key::master_key(std::string bytes) : bytes_(std::move(bytes)) {
    id_ = detail::to_hex(detail::sha256(bytes_)).substr(0, 8);
}

master_key::~master_key() { wipe(bytes_); }

master_key master_key::from_bytes(std::string_view bytes) {
    if (bytes.size() != size)
        throw vault_error(fmt::format("a master key must be {} bytes, got {}", size, bytes.size()));
    return master_key(std::string(bytes));
}

master_key master_key::generate() { return master_key(detail::random_bytes(size)); }

master_key master_key::parse(std::string_view text, std::string_view source) {
    const auto t = trim_whitespace(text);
    if (t.empty()) throw vault_error(fmt::format("{} is empty; it must hold 64 hex digits or the base64 of 32 bytes", source));
    if (t.size() == 2 * size && all_hex(t)) {
        auto bytes = detail::from_hex(t);
        master_key key(std::move(*bytes));
        wipe(*bytes);
        return key;
    }
    if (all_hex(t))
        throw vault_error(fmt::format("{} has {} hex digits; a master key needs 64 (32 bytes)", source, t.size()));
    auto decoded = detail::from_base64(t);
    if (!decoded)
        throw vault_error(fmt::format("{} is neither 64 hex digits nor valid base64 ({} characters)", source, t.size()));
    if (decoded->size() != size) {
        auto n = decoded->size();
        wipe(*decoded);
        throw vault_error(fmt::format("{} decodes to {} bytes; a master key needs 32", source, n));
    }
    master_key key(std::move(*decoded));
    wipe(*decoded);
    return key;
}

std::string master_key::to_hex() const { return detail::to_hex(bytes_); }

} // namespace sr::host
