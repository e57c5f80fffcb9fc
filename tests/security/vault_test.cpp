// AES-256-GCM sealing: round trips, tamper detection, associated-data binding, key ids.
#include <catch2/catch.hpp>

#include <set>

#include "security/associated_data.hpp"
#include "security/vault.hpp"

using namespace sr::host;

namespace {

vault make_vault() { return vault(master_key::generate()); }

void flip_bit(std::string& bytes, std::size_t index) { bytes[index] = static_cast<char>(bytes[index] ^ 0x01); }

bool opens(const vault& v, const sealed& box, std::string_view ad) {
    try {
        v.open(box, ad);
        return true;
    } catch (const vault_error&) {
        return false;
    }
}

const std::string credentials = R"({"api_key":"sk_live_0123456789abcdef"})";
const std::string ad = connection_associated_data("org-1", "conn-1");

} // namespace

TEST_CASE("a sealed secret opens with the same associated data to the same plaintext") {
    auto v = make_vault();
    auto box = v.seal(credentials, ad);
    CHECK(box.nonce.size() == 12);
    CHECK(box.ciphertext.size() == credentials.size() + 16);
    CHECK(box.key_id == v.current_key_id());
    CHECK(box.ciphertext.find("sk_live") == std::string::npos);
    CHECK(v.open(box, ad) == credentials);
}

TEST_CASE("an empty plaintext seals and opens") {
    auto v = make_vault();
    CHECK(v.open(v.seal("", ad), ad).empty());
}

TEST_CASE("every seal of the same plaintext uses a fresh nonce and gives a different ciphertext") {
    auto v = make_vault();
    std::set<std::string> nonces, ciphertexts;
    for (int i = 0; i < 100; ++i) {
        auto box = v.seal(credentials, ad);
        nonces.insert(box.nonce);
        ciphertexts.insert(box.ciphertext);
    }
    CHECK(nonces.size() == 100);
    CHECK(ciphertexts.size() == 100);
}

TEST_CASE("a flipped bit anywhere in the ciphertext fails to open") {
    auto v = make_vault();
    const auto box = v.seal(credentials, ad);
    for (std::size_t i = 0; i < credentials.size(); ++i) {
        auto bad = box;
        flip_bit(bad.ciphertext, i);
        CHECK_FALSE(opens(v, bad, ad));
    }
}

TEST_CASE("a flipped bit in the tag fails to open") {
    auto v = make_vault();
    const auto box = v.seal(credentials, ad);
    for (std::size_t i = box.ciphertext.size() - 16; i < box.ciphertext.size(); ++i) {
        auto bad = box;
        flip_bit(bad.ciphertext, i);
        CHECK_FALSE(opens(v, bad, ad));
    }
}

TEST_CASE("a flipped bit in the nonce fails to open") {
    auto v = make_vault();
    const auto box = v.seal(credentials, ad);
    for (std::size_t i = 0; i < box.nonce.size(); ++i) {
        auto bad = box;
        flip_bit(bad.nonce, i);
        CHECK_FALSE(opens(v, bad, ad));
    }
}

TEST_CASE("a truncated ciphertext or a nonce of the wrong size fails to open") {
    auto v = make_vault();
    auto box = v.seal(credentials, ad);
    auto short_ct = box;
    short_ct.ciphertext.resize(10);
    CHECK_FALSE(opens(v, short_ct, ad));
    auto dropped_tag = box;
    dropped_tag.ciphertext.resize(box.ciphertext.size() - 1);
    CHECK_FALSE(opens(v, dropped_tag, ad));
    auto long_nonce = box;
    long_nonce.nonce += 'x';
    CHECK_FALSE(opens(v, long_nonce, ad));
}

TEST_CASE("a ciphertext moved to another organization or connection fails to open") {
    auto v = make_vault();
    auto box = v.seal(credentials, ad);
    CHECK_FALSE(opens(v, box, connection_associated_data("org-2", "conn-1")));
    CHECK_FALSE(opens(v, box, connection_associated_data("org-1", "conn-2")));
    CHECK_FALSE(opens(v, box, ""));
    CHECK_FALSE(opens(v, box, webhook_secret_associated_data("conn-1")));
}

TEST_CASE("a record sealed under a key the vault does not hold is refused naming the key id only") {
    auto a = make_vault(), b = make_vault();
    auto box = a.seal(credentials, ad);
    try {
        b.open(box, ad);
        FAIL("opened under a foreign key");
    } catch (const vault_error& e) {
        std::string m = e.what();
        CHECK(m.find(a.current_key_id()) != std::string::npos);
        CHECK(m.find("SR_MASTER_KEY_OLD") != std::string::npos);
        CHECK(m.find("sk_live") == std::string::npos);
    }
}

TEST_CASE("a record whose key id is relabelled to another held key fails authentication") {
    auto old_key = master_key::generate();
    vault v(master_key::generate(), {old_key});
    auto box = v.seal(credentials, ad);
    box.key_id = old_key.id();
    CHECK_FALSE(opens(v, box, ad));
}

TEST_CASE("a vault holding the old key opens records sealed before the rotation and seals under the new key") {
    auto old_key = master_key::generate();
    vault before(old_key);
    auto box = before.seal(credentials, ad);
    vault after(master_key::generate(), {old_key});
    CHECK(after.open(box, ad) == credentials);
    CHECK(after.seal(credentials, ad).key_id == after.current_key_id());
    CHECK(after.current_key_id() != old_key.id());
}

TEST_CASE("authentication failures say so without any plaintext or key material") {
    auto key = master_key::generate();
    vault v(key);
    auto box = v.seal(credentials, ad);
    flip_bit(box.ciphertext, 0);
    try {
        v.open(box, ad);
        FAIL("tampered record opened");
    } catch (const vault_error& e) {
        std::string m = e.what();
        CHECK(m.find("authentication failed") != std::string::npos);
        CHECK(m.find("sk_live") == std::string::npos);
        CHECK(m.find(key.to_hex().substr(0, 16)) == std::string::npos);
    }
}
