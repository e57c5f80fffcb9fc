#pragma once
// One 256-bit master key and its id (the first 8 hex digits of SHA-256 of the key), which is
// stored beside every ciphertext so a record says which key opens it. The bytes are wiped when
// the object goes away.
#include <string>
#include <string_view>

namespace sr::host {

class master_key {
public:
    static constexpr std::size_t size = 32;

    // `text` is 64 hex digits or the standard base64 of 32 bytes; surrounding whitespace (a
    // key file's newline) is ignored. `source` names where it came from ("SR_MASTER_KEY") for
    // the error message, which states lengths only, never the text. Throws vault_error.
    static master_key parse(std::string_view text, std::string_view source);
    static master_key from_bytes(std::string_view bytes); // exactly 32 bytes, else vault_error
    static master_key generate();                         // RAND_bytes

    master_key(const master_key&) = default;
    master_key(master_key&&) noexcept = default;
    master_key& operator=(const master_key&) = default;
    master_key& operator=(master_key&&) noexcept = default;
    ~master_key();

    const std::string& id() const { return id_; }
    const std::string& bytes() const { return bytes_; }
    std::string to_hex() const; // for `scenarioctl keys generate` only

private:
    explicit master_key(std::string bytes);
    std::string bytes_;
    std::string id_;
};

} // namespace sr::host
