#pragma once
// One-shot digests over OpenSSL 3's EVP interfaces (EVP_Q_mac, EVP_Digest), returning raw bytes.
#include <string>
#include <string_view>

namespace sr::host::detail {

std::string hmac_sha256(std::string_view key, std::string_view message); // 32 raw bytes
std::string sha256(std::string_view data);                                // 32 raw bytes
std::string random_bytes(std::size_t n);                                  // RAND_bytes; throws on failure

} // namespace sr::host::detail
