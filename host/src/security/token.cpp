#include "security/token.hpp"

#include <openssl/crypto.h>

#include "security/detail/encoding.hpp"
#include "security/detail/hmac.hpp"

namespace sr::host {

issued_token issue_token() {
    issued_token t;
    t.prefix = "srt_" + detail::to_hex(detail::random_bytes(4));
    t.token = t.prefix + "_" + detail::to_base64url(detail::random_bytes(32));
    t.hash = hash_token(t.token);
    return t;
}

std::string hash_token(std::string_view token) { return detail::sha256(token); }

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace sr::host
