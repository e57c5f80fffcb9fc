#pragma once
// Webhook signature schemes, checked over the raw body as received (before any parsing), with a
// replay window and constant-time comparison.
//
// hmac_sha256 (ours): `X-Timestamp: <unix seconds>` and `X-Signature: sha256=<hex>` where the
// hex is HMAC-SHA256(secret, "<X-Timestamp>.<raw body>").
// stripe (Stripe's documented scheme): `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>...]`
// (other schemes such as v0 are ignored) where each v1 is HMAC-SHA256(secret, "<t>.<raw body>");
// any v1 may match, which is how Stripe signs during a secret roll.
//
// Unlike Stripe's SDKs, a timestamp too far in the future is refused too (|now - t| > window).
#include <cstdint>
#include <string>
#include <string_view>

namespace sr::host {

struct signature_check {
    bool ok = false;
    // "" when ok; else "missing_signature", "malformed_signature", "missing_timestamp",
    // "malformed_timestamp", "timestamp_outside_window" or "signature_mismatch".
    std::string reason;
};

inline constexpr std::int64_t default_replay_window_s = 300;

signature_check verify_hmac_sha256(std::string_view secret, std::string_view timestamp_header, std::string_view body,
                                   std::string_view signature_header, std::int64_t now_unix_s,
                                   std::int64_t window_s = default_replay_window_s);

struct hmac_signature_headers {
    std::string timestamp; // X-Timestamp value
    std::string signature; // X-Signature value: "sha256=<hex>"
};
hmac_signature_headers sign_hmac_sha256(std::string_view secret, std::int64_t timestamp_unix_s, std::string_view body);

signature_check verify_stripe_signature(std::string_view secret, std::string_view stripe_signature_header,
                                        std::string_view body, std::int64_t now_unix_s,
                                        std::int64_t tolerance_s = default_replay_window_s);

// The Stripe-Signature value "t=<timestamp>,v1=<hex>".
std::string sign_stripe_signature(std::string_view secret, std::int64_t timestamp_unix_s, std::string_view body);

} // namespace sr::host
