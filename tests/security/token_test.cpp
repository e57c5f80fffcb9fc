// API tokens: shape, uniqueness, stable hashes, constant-time comparison.
#include <catch2/catch.hpp>

#include <regex>
#include <set>

#include "security/detail/encoding.hpp"
#include "security/token.hpp"

using namespace sr::host;

TEST_CASE("an issued token has the srt_ prefix shape and its hash is the hash of the token") {
    auto t = issue_token();
    CHECK(std::regex_match(t.token, std::regex("srt_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")));
    CHECK(t.token.starts_with(t.prefix + "_"));
    CHECK(t.prefix.size() == 12);
    CHECK(t.hash.size() == 32);
    CHECK(t.hash == hash_token(t.token));
}

TEST_CASE("issued tokens, prefixes and hashes are unique") {
    std::set<std::string> tokens, prefixes, hashes;
    for (int i = 0; i < 1000; ++i) {
        auto t = issue_token();
        tokens.insert(t.token);
        prefixes.insert(t.prefix);
        hashes.insert(t.hash);
    }
    CHECK(tokens.size() == 1000);
    CHECK(hashes.size() == 1000);
    CHECK(prefixes.size() >= 990); // 32 random bits: a collision is possible, and harmless
}

TEST_CASE("a token hash is SHA-256 of the token text and stable across calls") {
    CHECK(detail::to_hex(hash_token("srt_abc")) == "301a95451a7bfded76f44f37b30f04b1d56d59614e2e0abc22fe5675e6456f45");
    CHECK(hash_token("srt_abc") == hash_token("srt_abc"));
    CHECK(hash_token("srt_abc") != hash_token("srt_abd"));
}

TEST_CASE("constant_time_equal compares contents and lengths") {
    CHECK(constant_time_equal("", ""));
    CHECK(constant_time_equal("abcdef", "abcdef"));
    CHECK_FALSE(constant_time_equal("abcdef", "abcdeg"));
    CHECK_FALSE(constant_time_equal("bbcdef", "abcdef"));
    CHECK_FALSE(constant_time_equal("abc", "abcdef"));
    CHECK_FALSE(constant_time_equal("abcdef", ""));
    CHECK(constant_time_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
    CHECK_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}
