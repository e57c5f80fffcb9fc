#pragma once
// Seals secrets (connection credentials, webhook secrets) with AES-256-GCM under a master key.
// Each seal draws a fresh random 96-bit nonce; the 16-byte tag is appended to the ciphertext;
// the associated data binds a ciphertext to its row (see associated_data.hpp), so a ciphertext
// copied into another row or organization does not open. The key id is stored beside the
// ciphertext; a vault may hold old keys so records sealed before a rotation still open.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "security/master_key.hpp"
#include "security/vault_error.hpp"

namespace sr::host {

struct sealed {
    std::string ciphertext; // bytes: ciphertext || 16-byte tag
    std::string nonce;      // 12 bytes
    std::string key_id;     // 8 hex digits
};

class vault {
public:
    static constexpr std::size_t nonce_size = 12;
    static constexpr std::size_t tag_size = 16;
    // The key file from_environment(data_dir) creates when no key is configured.
    static constexpr const char* generated_key_file = "master.key";

    explicit vault(master_key current, std::vector<master_key> old_keys = {});

    // The current key from SR_MASTER_KEY (64 hex digits or base64 of 32 bytes) or
    // SR_MASTER_KEY_FILE (a file holding that text); setting both is an error. Old keys from
    // SR_MASTER_KEY_OLD: one key or several separated by commas or whitespace. Throws
    // vault_error when no key is configured or a key is malformed.
    static vault from_environment();
    // As above, except that with neither variable set the key is read from
    // `data_dir/master.key`, which is created (mode 0600, 64 hex digits) the first time. This
    // keeps a one-command local start working; production sets SR_MASTER_KEY(_FILE).
    static vault from_environment(const std::filesystem::path& data_dir);

    // Keys after the current one that open older records (current first in key_ids()).
    void add_old_key(master_key key);

    sealed seal(std::string_view plaintext, std::string_view associated_data) const;
    // Throws vault_error when the key id is unknown, the sizes are wrong, or authentication
    // fails (altered ciphertext, tag, nonce or associated data; wrong key).
    std::string open(const sealed& record, std::string_view associated_data) const;

    const std::string& current_key_id() const { return current_.id(); }
    bool holds_key(std::string_view key_id) const;
    std::vector<std::string> key_ids() const;

private:
    const master_key* find_key(std::string_view key_id) const;

    master_key current_;
    std::vector<master_key> old_keys_;
};

} // namespace sr::host
