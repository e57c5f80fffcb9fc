#include "security/vault.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "security/detail/hmac.hpp"

namespace sr::host {

namespace {

using cipher_ctx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

cipher_ctx new_ctx() {
    cipher_ctx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    if (!ctx) throw vault_error("out of memory for a cipher context");
    return ctx;
}

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

// Reads a key file; the error names the file, never its content.
std::string read_key_file(const std::filesystem::path& path, std::string_view variable) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw vault_error(fmt::format("{}: cannot read the key file {}: {}", variable, path.string(), std::strerror(errno)));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<master_key> parse_key_list(const std::string& text, const char* variable) {
    std::vector<master_key> keys;
    std::size_t index = 0, at = 0;
    while (at < text.size()) {
        auto end = text.find_first_of(", \t\r\n", at);
        if (end == std::string::npos) end = text.size();
        if (end > at) {
            ++index;
            keys.push_back(master_key::parse(std::string_view(text).substr(at, end - at),
                                             fmt::format("{} (entry {})", variable, index)));
        }
        at = end + 1;
    }
    return keys;
}

// Creates the key file with O_EXCL so two processes starting at once agree on one key: the
// loser of the race reads the winner's file.
master_key load_or_create_key_file(const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno != EEXIST)
            throw vault_error(fmt::format("cannot create the key file {}: {}", path.string(), std::strerror(errno)));
        return master_key::parse(read_key_file(path, "generated key file"), path.string());
    }
    auto key = master_key::generate();
    std::string text = key.to_hex() + "\n";
    bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    OPENSSL_cleanse(text.data(), text.size());
    ::close(fd);
    if (!ok) {
        ::unlink(path.c_str());
        throw vault_error(fmt::format("cannot write the key file {}", path.string()));
    }
    return key;
}

vault with_old_keys(master_key current) {
    vault v(std::move(current));
    for (auto& old : parse_key_list(env("SR_MASTER_KEY_OLD"), "SR_MASTER_KEY_OLD")) v.add_old_key(std::move(old));
    return v;
}

} // namespace

vault::vault(master_key current, std::vector<master_key> old_keys) : current_(std::move(current)) {
    for (auto& k : old_keys) add_old_key(std::move(k));
}

vault vault::from_environment() {
    const auto key = env("SR_MASTER_KEY");
    const auto file = env("SR_MASTER_KEY_FILE");
    if (!key.empty() && !file.empty()) throw vault_error("set SR_MASTER_KEY or SR_MASTER_KEY_FILE, not both");
    if (!key.empty()) return with_old_keys(master_key::parse(key, "SR_MASTER_KEY"));
    if (!file.empty()) return with_old_keys(master_key::parse(read_key_file(file, "SR_MASTER_KEY_FILE"), "SR_MASTER_KEY_FILE"));
    throw vault_error("no master key: set SR_MASTER_KEY (64 hex digits or base64 of 32 bytes) or SR_MASTER_KEY_FILE");
}

vault vault::from_environment(const std::filesystem::path& data_dir) {
    if (!env("SR_MASTER_KEY").empty() || !env("SR_MASTER_KEY_FILE").empty()) return from_environment();
    return with_old_keys(load_or_create_key_file(data_dir / generated_key_file));
}

void vault::add_old_key(master_key key) {
    if (holds_key(key.id())) return; // the same key listed twice, or the current key again
    old_keys_.push_back(std::move(key));
}

bool vault::holds_key(std::string_view key_id) const { return find_key(key_id) != nullptr; }

std::vector<std::string> vault::key_ids() const {
    std::vector<std::string> ids{current_.id()};
    for (const auto& k : old_keys_) ids.push_back(k.id());
    return ids;
}

const master_key* vault::find_key(std::string_view key_id) const {
    if (current_.id() == key_id) return &current_;
    for (const auto& k : old_keys_)
        if (k.id() == key_id) return &k;
    return nullptr;
}

sealed vault::seal(std::string_view plaintext, std::string_view associated_data) const {
    sealed out;
    out.nonce = detail::random_bytes(nonce_size);
    out.key_id = current_.id();
    auto ctx = new_ctx();
    int len = 0;
    if (EVP_EncryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), bytes(current_.bytes()), bytes(out.nonce), nullptr) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(associated_data), static_cast<int>(associated_data.size())) != 1)
        throw vault_error("AES-256-GCM setup failed");
    out.ciphertext.resize(plaintext.size() + tag_size);
    if (EVP_EncryptUpdate(ctx.get(), bytes(out.ciphertext), &len, bytes(plaintext), static_cast<int>(plaintext.size())) != 1)
        throw vault_error("AES-256-GCM encryption failed");
    int total = len;
    if (EVP_EncryptFinal_ex(ctx.get(), bytes(out.ciphertext) + total, &len) != 1)
        throw vault_error("AES-256-GCM encryption failed");
    total += len;
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, tag_size, bytes(out.ciphertext) + total) != 1)
        throw vault_error("AES-256-GCM tag could not be read");
    out.ciphertext.resize(total + tag_size);
    return out;
}

std::string vault::open(const sealed& record, std::string_view associated_data) const {
    const master_key* key = find_key(record.key_id);
    if (!key)
        throw vault_error(fmt::format("sealed under key id \"{}\", which is not among this vault's keys ({}); "
                                      "add the old key to SR_MASTER_KEY_OLD",
                                      record.key_id.size() <= 16 ? record.key_id : record.key_id.substr(0, 16),
                                      fmt::join(key_ids(), ", ")));
    if (record.nonce.size() != nonce_size) throw vault_error(fmt::format("nonce must be {} bytes, got {}", nonce_size, record.nonce.size()));
    if (record.ciphertext.size() < tag_size) throw vault_error("ciphertext is shorter than its tag");
    const std::size_t body = record.ciphertext.size() - tag_size;
    auto ctx = new_ctx();
    int len = 0;
    if (EVP_DecryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), bytes(key->bytes()), bytes(record.nonce), nullptr) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(associated_data), static_cast<int>(associated_data.size())) != 1)
        throw vault_error("AES-256-GCM setup failed");
    std::string plain(body, '\0');
    if (EVP_DecryptUpdate(ctx.get(), bytes(plain), &len, bytes(record.ciphertext), static_cast<int>(body)) != 1)
        throw vault_error("AES-256-GCM decryption failed");
    int total = len;
    // The tag is checked in Final; the context only reads it, so the cast away from const is safe.
    auto* tag = const_cast<unsigned char*>(bytes(record.ciphertext)) + body;
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, tag_size, tag) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), bytes(plain) + total, &len) != 1) {
        OPENSSL_cleanse(plain.data(), plain.size());
        throw vault_error("authentication failed: the ciphertext, nonce or associated data was altered, or the key is wrong");
    }
    plain.resize(total + len);
    return plain;
}

} // namespace sr::host
