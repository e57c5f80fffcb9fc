#include "security/detail/hmac.hpp"

#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/rand.h>

namespace sr::host::detail {

std::string hmac_sha256(std::string_view key, std::string_view message) {
    unsigned char out[EVP_MAX_MD_SIZE];
    std::size_t out_len = 0;
    // An empty key is valid HMAC; EVP_Q_mac wants a non-null pointer for it.
    static const unsigned char empty = 0;
    const void* key_ptr = key.empty() ? static_cast<const void*>(&empty) : key.data();
    if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key_ptr, key.size(),
                   reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, sizeof out, &out_len))
        throw std::runtime_error("HMAC-SHA256 failed");
    return std::string(reinterpret_cast<const char*>(out), out_len);
}

std::string sha256(std::string_view data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int out_len = 0;
    if (!EVP_Digest(data.data(), data.size(), out, &out_len, EVP_sha256(), nullptr))
        throw std::runtime_error("SHA-256 failed");
    return std::string(reinterpret_cast<const char*>(out), out_len);
}

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
        throw std::runtime_error("the system random generator failed");
    return out;
}

} // namespace sr::host::detail
