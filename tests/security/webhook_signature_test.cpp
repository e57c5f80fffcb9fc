// Webhook signatures: our HMAC-SHA256 scheme and Stripe's, with replay windows.
#include <catch2/catch.hpp>

#include "security/webhook_signature.hpp"

using namespace sr::host;

namespace {

const std::string secret = "whsec_test_secret";
const std::string body = R"({"id":"evt_1","amount":42})";
constexpr std::int64_t ts = 1700000000;
// HMAC-SHA256(secret, "1700000000." + body), computed with `openssl dgst -sha256 -hmac`.
const std::string known_hex = "f85cfa2c1dd3ed0f7497ce3ad3e169ce6befdd266fd5d66a50b51d9ed237d90f";

signature_check hmac(std::string_view ts_header, std::string_view sig_header, std::int64_t now = ts,
                     std::string_view b = body, std::string_view key = secret) {
    return verify_hmac_sha256(key, ts_header, b, sig_header, now);
}

signature_check stripe(std::string_view header, std::int64_t now = ts, std::string_view b = body,
                       std::string_view key = secret) {
    return verify_stripe_signature(key, header, b, now);
}

} // namespace

// --- hmac_sha256 ---------------------------------------------------------------------------

TEST_CASE("hmac_sha256 signing matches an independently computed HMAC") {
    auto h = sign_hmac_sha256(secret, ts, body);
    CHECK(h.timestamp == "1700000000");
    CHECK(h.signature == "sha256=" + known_hex);
}

TEST_CASE("hmac_sha256 accepts a valid signature within the window, in either hex case") {
    auto h = sign_hmac_sha256(secret, ts, body);
    auto r = hmac(h.timestamp, h.signature, ts + 299);
    CHECK(r.ok);
    CHECK(r.reason.empty());
    std::string upper = "sha256=" + known_hex;
    for (std::size_t i = 7; i < upper.size(); ++i) upper[i] = static_cast<char>(std::toupper(upper[i]));
    CHECK(hmac(h.timestamp, upper).ok);
}

TEST_CASE("hmac_sha256 refuses a tampered body") {
    auto h = sign_hmac_sha256(secret, ts, body);
    auto r = hmac(h.timestamp, h.signature, ts, R"({"id":"evt_1","amount":43})");
    CHECK_FALSE(r.ok);
    CHECK(r.reason == "signature_mismatch");
}

TEST_CASE("hmac_sha256 refuses a signature made with another secret") {
    auto h = sign_hmac_sha256("other_secret", ts, body);
    CHECK(hmac(h.timestamp, h.signature).reason == "signature_mismatch");
}

TEST_CASE("hmac_sha256 refuses a signature replayed with another timestamp") {
    auto h = sign_hmac_sha256(secret, ts, body);
    CHECK(hmac("1700000001", h.signature).reason == "signature_mismatch");
}

TEST_CASE("hmac_sha256 refuses a timestamp older than the replay window") {
    auto h = sign_hmac_sha256(secret, ts, body);
    CHECK(hmac(h.timestamp, h.signature, ts + 300).ok);
    CHECK(hmac(h.timestamp, h.signature, ts + 301).reason == "timestamp_outside_window");
}

TEST_CASE("hmac_sha256 refuses a timestamp further in the future than the window") {
    auto h = sign_hmac_sha256(secret, ts, body);
    CHECK(hmac(h.timestamp, h.signature, ts - 300).ok);
    CHECK(hmac(h.timestamp, h.signature, ts - 301).reason == "timestamp_outside_window");
}

TEST_CASE("hmac_sha256 honours a custom window") {
    auto h = sign_hmac_sha256(secret, ts, body);
    CHECK(verify_hmac_sha256(secret, h.timestamp, body, h.signature, ts + 61, 60).reason == "timestamp_outside_window");
    CHECK(verify_hmac_sha256(secret, h.timestamp, body, h.signature, ts + 60, 60).ok);
}

TEST_CASE("hmac_sha256 reports a missing signature or timestamp") {
    auto h = sign_hmac_sha256(secret, ts, body);
    CHECK(hmac(h.timestamp, "").reason == "missing_signature");
    CHECK(hmac("", h.signature).reason == "missing_timestamp");
}

TEST_CASE("hmac_sha256 reports malformed signature headers") {
    for (std::string bad : {"sha1=" + known_hex, known_hex, "sha256=" + known_hex.substr(2), "sha256=" + known_hex + "00",
                            "sha256=zz" + known_hex.substr(2), std::string("sha256=")}) {
        INFO(bad);
        CHECK(hmac("1700000000", bad).reason == "malformed_signature");
    }
}

TEST_CASE("hmac_sha256 reports malformed timestamps") {
    auto h = sign_hmac_sha256(secret, ts, body);
    for (std::string bad : {"-1700000000", "1700000000.5", "17e8", "abc", "99999999999999999999", "1700 000000"}) {
        INFO(bad);
        CHECK(hmac(bad, h.signature).reason == "malformed_timestamp");
    }
}

// --- stripe --------------------------------------------------------------------------------

TEST_CASE("stripe signing produces t and v1 over \"t.body\"") {
    CHECK(sign_stripe_signature(secret, ts, body) == "t=1700000000,v1=" + known_hex);
}

TEST_CASE("stripe accepts a valid signature") {
    auto r = stripe(sign_stripe_signature(secret, ts, body), ts + 10);
    CHECK(r.ok);
    CHECK(r.reason.empty());
}

TEST_CASE("stripe accepts the documented header shape with a v0 element and several v1 values, any of which may match") {
    // As in Stripe's docs: t=...,v1=...,v0=...; during a secret roll, one v1 per secret.
    const std::string wrong = std::string(64, 'a');
    auto header = "t=1700000000,v1=" + wrong + ",v1=" + known_hex + ",v0=" + std::string(64, 'b');
    CHECK(stripe(header).ok);
    auto header_first = "t=1700000000,v1=" + known_hex + ",v1=" + wrong;
    CHECK(stripe(header_first).ok);
    CHECK(stripe("t=1700000000,v1=" + wrong + ",v1=" + std::string(64, 'c')).reason == "signature_mismatch");
}

TEST_CASE("stripe ignores a matching signature under another scheme than v1") {
    CHECK(stripe("t=1700000000,v0=" + known_hex).reason == "malformed_signature");
    CHECK(stripe("t=1700000000,v0=" + known_hex + ",v1=" + std::string(64, 'a')).reason == "signature_mismatch");
}

TEST_CASE("stripe refuses a tampered body") {
    CHECK(stripe(sign_stripe_signature(secret, ts, body), ts, body + " ").reason == "signature_mismatch");
}

TEST_CASE("stripe refuses a signature made with another secret") {
    CHECK(stripe(sign_stripe_signature("whsec_other", ts, body)).reason == "signature_mismatch");
}

TEST_CASE("stripe refuses a timestamp older than the tolerance") {
    auto header = sign_stripe_signature(secret, ts, body);
    CHECK(stripe(header, ts + 300).ok);
    CHECK(stripe(header, ts + 301).reason == "timestamp_outside_window");
}

TEST_CASE("stripe refuses a timestamp further in the future than the tolerance") {
    auto header = sign_stripe_signature(secret, ts, body);
    CHECK(stripe(header, ts - 301).reason == "timestamp_outside_window");
}

TEST_CASE("stripe refuses a re-signed timestamp that does not match the signature") {
    CHECK(stripe("t=1700000001,v1=" + known_hex, ts).reason == "signature_mismatch");
}

TEST_CASE("stripe reports a missing header") {
    CHECK(stripe("").reason == "missing_signature");
    CHECK(stripe("   ").reason == "missing_signature");
}

TEST_CASE("stripe reports malformed headers") {
    for (std::string bad : {std::string("v1=") + known_hex, std::string("t=1700000000"), std::string("t=abc,v1=") + known_hex,
                            std::string("t=1700000000,v1") + known_hex, std::string("t=1700000000;v1=") + known_hex,
                            std::string("t=1700000000,t=1700000000,v1=") + known_hex, std::string(",,,"),
                            std::string("=x,t=1700000000,v1=") + known_hex}) {
        INFO(bad);
        CHECK(stripe(bad).reason == "malformed_signature");
    }
}

TEST_CASE("stripe tolerates spaces around header elements") {
    CHECK(stripe("t=1700000000, v1=" + known_hex).ok);
}
