// Master keys: accepted encodings, key ids, and refusals whose messages never show the key.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <sys/stat.h>

#include "env_guard.hpp"
#include "security/master_key.hpp"
#include "security/vault.hpp"
#include "test_paths.hpp"

using namespace sr::host;

namespace {

const std::string hex_key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
// base64 of the same 32 bytes
const std::string b64_key = "ABEiM0RVZneImaq7zN3u/wARIjNEVWZ3iJmqu8zd7v8=";

std::string refusal(std::string_view text) {
    try {
        master_key::parse(text, "SR_MASTER_KEY");
    } catch (const vault_error& e) {
        return e.what();
    }
    FAIL("the key was accepted");
    return {};
}

} // namespace

TEST_CASE("a master key parses from 64 hex digits and from base64 of the same 32 bytes to one key id") {
    auto from_hex = master_key::parse(hex_key, "SR_MASTER_KEY");
    auto from_b64 = master_key::parse(b64_key, "SR_MASTER_KEY");
    CHECK(from_hex.bytes() == from_b64.bytes());
    CHECK(from_hex.id() == from_b64.id());
    CHECK(from_hex.bytes().size() == 32);
}

TEST_CASE("a master key id is the first 8 hex digits of SHA-256 of the key") {
    // SHA-256 of 32 zero bytes is 66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925.
    auto key = master_key::parse(std::string(64, '0'), "SR_MASTER_KEY");
    CHECK(key.id() == "66687aad");
}

TEST_CASE("a master key with surrounding whitespace, as read from a file, is accepted") {
    CHECK(master_key::parse("  " + hex_key + "\n", "SR_MASTER_KEY_FILE").to_hex() == hex_key);
}

TEST_CASE("a short hex master key is refused with its length and without the key") {
    const std::string short_key = hex_key.substr(0, 62);
    auto message = refusal(short_key);
    CHECK(message.find("62 hex digits") != std::string::npos);
    CHECK(message.find("SR_MASTER_KEY") != std::string::npos);
    CHECK(message.find(short_key) == std::string::npos);
    CHECK(message.find(short_key.substr(0, 16)) == std::string::npos);
}

TEST_CASE("a malformed master key is refused without the key in the message") {
    const std::string bad = "not-a-key!" + hex_key.substr(10);
    auto message = refusal(bad);
    CHECK(message.find("neither 64 hex digits nor valid base64") != std::string::npos);
    CHECK(message.find(bad.substr(0, 12)) == std::string::npos);
}

TEST_CASE("a base64 master key of the wrong length is refused without the key") {
    const std::string sixteen_bytes = "ABEiM0RVZneImaq7zN3u/w==";
    auto message = refusal(sixteen_bytes);
    CHECK(message.find("decodes to 16 bytes") != std::string::npos);
    CHECK(message.find(sixteen_bytes) == std::string::npos);
}

TEST_CASE("an empty master key is refused") {
    CHECK(refusal("  \n").find("is empty") != std::string::npos);
}

TEST_CASE("generated master keys differ and round-trip through hex") {
    auto a = master_key::generate(), b = master_key::generate();
    CHECK(a.bytes() != b.bytes());
    CHECK(master_key::parse(a.to_hex(), "x").id() == a.id());
}

TEST_CASE("the vault takes its key from SR_MASTER_KEY and old keys from SR_MASTER_KEY_OLD") {
    auto old1 = master_key::generate(), old2 = master_key::generate();
    const std::string olds = old1.to_hex() + "," + old2.to_hex();
    sr::test::env_guard env({{"SR_MASTER_KEY", hex_key.c_str()}, {"SR_MASTER_KEY_FILE", nullptr},
                             {"SR_MASTER_KEY_OLD", olds.c_str()}});
    auto v = vault::from_environment();
    CHECK(v.current_key_id() == master_key::parse(hex_key, "x").id());
    CHECK(v.holds_key(old1.id()));
    CHECK(v.holds_key(old2.id()));
    CHECK(v.key_ids().size() == 3);
}

TEST_CASE("the vault takes its key from SR_MASTER_KEY_FILE") {
    auto dir = sr::test::temp_dir("sec-keyfile");
    std::ofstream(dir / "key") << b64_key << "\n";
    const std::string path = (dir / "key").string();
    sr::test::env_guard env({{"SR_MASTER_KEY", nullptr}, {"SR_MASTER_KEY_FILE", path.c_str()}, {"SR_MASTER_KEY_OLD", nullptr}});
    CHECK(vault::from_environment().current_key_id() == master_key::parse(hex_key, "x").id());
}

TEST_CASE("the vault refuses to start without a master key and says which variables to set") {
    sr::test::env_guard env({{"SR_MASTER_KEY", nullptr}, {"SR_MASTER_KEY_FILE", nullptr}, {"SR_MASTER_KEY_OLD", nullptr}});
    try {
        vault::from_environment();
        FAIL("a vault without a key was made");
    } catch (const vault_error& e) {
        CHECK(std::string(e.what()).find("SR_MASTER_KEY") != std::string::npos);
    }
}

TEST_CASE("the vault refuses both SR_MASTER_KEY and SR_MASTER_KEY_FILE at once") {
    sr::test::env_guard env({{"SR_MASTER_KEY", hex_key.c_str()}, {"SR_MASTER_KEY_FILE", "/nonexistent"}});
    CHECK_THROWS_AS(vault::from_environment(), vault_error);
}

TEST_CASE("a malformed old key is refused naming its position and not its text") {
    const std::string olds = master_key::generate().to_hex() + ",deadbeef";
    sr::test::env_guard env({{"SR_MASTER_KEY", hex_key.c_str()}, {"SR_MASTER_KEY_FILE", nullptr}, {"SR_MASTER_KEY_OLD", olds.c_str()}});
    try {
        vault::from_environment();
        FAIL("a malformed old key was accepted");
    } catch (const vault_error& e) {
        std::string m = e.what();
        CHECK(m.find("SR_MASTER_KEY_OLD (entry 2)") != std::string::npos);
        CHECK(m.find("deadbeef") == std::string::npos);
    }
}

TEST_CASE("with no key configured the vault creates a 0600 key file under the data dir once and reuses it") {
    sr::test::env_guard env({{"SR_MASTER_KEY", nullptr}, {"SR_MASTER_KEY_FILE", nullptr}, {"SR_MASTER_KEY_OLD", nullptr}});
    auto dir = sr::test::temp_dir("sec-datadir") / "nested";
    auto first = vault::from_environment(dir);
    const auto file = dir / vault::generated_key_file;
    REQUIRE(std::filesystem::exists(file));
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    auto second = vault::from_environment(dir);
    CHECK(first.current_key_id() == second.current_key_id());
    auto box = first.seal("hello", "ad");
    CHECK(second.open(box, "ad") == "hello");
}

TEST_CASE("a configured key wins over the data dir's key file and no file is created") {
    sr::test::env_guard env({{"SR_MASTER_KEY", hex_key.c_str()}, {"SR_MASTER_KEY_FILE", nullptr}, {"SR_MASTER_KEY_OLD", nullptr}});
    auto dir = sr::test::temp_dir("sec-datadir2");
    auto v = vault::from_environment(dir);
    CHECK(v.current_key_id() == master_key::parse(hex_key, "x").id());
    CHECK_FALSE(std::filesystem::exists(dir / vault::generated_key_file));
}
