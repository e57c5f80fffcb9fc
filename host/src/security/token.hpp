#pragma once
// API tokens: random, shown once, stored only as SHA-256 (api_tokens.token_hash), looked up by
// hash, and compared in constant time.
#include <string>
#include <string_view>

namespace sr::host {

struct issued_token {
    std::string token;  // "srt_<8 hex>_<43 base64url chars of 32 random bytes>"; show once
    std::string prefix; // "srt_<8 hex>": safe to store and list (api_tokens.prefix)
    std::string hash;   // 32 raw bytes: hash_token(token)
};

issued_token issue_token();
std::string hash_token(std::string_view token); // SHA-256, 32 raw bytes
// CRYPTO_memcmp over equal lengths; unequal lengths are unequal (the length is not secret).
bool constant_time_equal(std::string_view a, std::string_view b);

} // namespace sr::host
