#include "security/webhook_signature.hpp"

#include <charconv>
#include <optional>
#include <vector>

#include "security/detail/encoding.hpp"
#include "security/detail/hmac.hpp"
#include "security/token.hpp"

namespace sr::host {

namespace {

signature_check fail(const char* reason) { return {false, reason}; }

std::string_view trim_blanks(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Unix seconds as plain decimal digits (no sign, no spaces inside, at most 18 digits).
std::optional<std::int64_t> parse_unix_seconds(std::string_view text) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || text.front() == '-') return std::nullopt;
    return v;
}

bool outside_window(std::int64_t timestamp, std::int64_t now, std::int64_t window) {
    const std::int64_t age = now - timestamp;
    return age > window || -age > window;
}

std::string signed_payload(std::string_view timestamp, std::string_view body) {
    std::string p;
    p.reserve(timestamp.size() + 1 + body.size());
    p.append(timestamp).append(1, '.').append(body);
    return p;
}

// The provided signature is decoded from hex (either case) and compared as raw bytes.
bool matches(const std::string& expected_raw, std::string_view provided_hex) {
    auto provided = detail::from_hex(provided_hex);
    return provided && constant_time_equal(expected_raw, *provided);
}

} // namespace

signature_check verify_hmac_sha256(std::string_view secret, std::string_view timestamp_header, std::string_view body,
                                   std::string_view signature_header, std::int64_t now_unix_s, std::int64_t window_s) {
    const auto sig = trim_blanks(signature_header);
    const auto ts_text = trim_blanks(timestamp_header);
    if (sig.empty()) return fail("missing_signature");
    constexpr std::string_view scheme = "sha256=";
    if (!sig.starts_with(scheme) || sig.size() != scheme.size() + 64) return fail("malformed_signature");
    const auto hex = sig.substr(scheme.size());
    if (!detail::from_hex(hex)) return fail("malformed_signature");
    if (ts_text.empty()) return fail("missing_timestamp");
    const auto ts = parse_unix_seconds(ts_text);
    if (!ts) return fail("malformed_timestamp");
    if (outside_window(*ts, now_unix_s, window_s)) return fail("timestamp_outside_window");
    const auto expected = detail::hmac_sha256(secret, signed_payload(ts_text, body));
    if (!matches(expected, hex)) return fail("signature_mismatch");
    return {true, ""};
}

hmac_signature_headers sign_hmac_sha256(std::string_view secret, std::int64_t timestamp_unix_s, std::string_view body) {
    hmac_signature_headers h;
    h.timestamp = std::to_string(timestamp_unix_s);
    h.signature = "sha256=" + detail::to_hex(detail::hmac_sha256(secret, signed_payload(h.timestamp, body)));
    return h;
}

signature_check verify_stripe_signature(std::string_view secret, std::string_view header, std::string_view body,
                                        std::int64_t now_unix_s, std::int64_t tolerance_s) {
    header = trim_blanks(header);
    if (header.empty()) return fail("missing_signature");
    std::optional<std::string_view> t_text;
    std::vector<std::string_view> v1;
    std::size_t at = 0;
    while (at <= header.size()) {
        auto end = header.find(',', at);
        if (end == std::string_view::npos) end = header.size();
        const auto element = trim_blanks(header.substr(at, end - at));
        at = end + 1;
        const auto eq = element.find('=');
        if (eq == std::string_view::npos || eq == 0) return fail("malformed_signature");
        const auto key = element.substr(0, eq), value = element.substr(eq + 1);
        if (key == "t") {
            if (t_text) return fail("malformed_signature"); // two timestamps: which one was signed?
            t_text = value;
        } else if (key == "v1") {
            v1.push_back(value);
        }
    }
    if (!t_text || v1.empty()) return fail("malformed_signature");
    const auto ts = parse_unix_seconds(*t_text);
    if (!ts) return fail("malformed_signature");
    if (outside_window(*ts, now_unix_s, tolerance_s)) return fail("timestamp_outside_window");
    const auto expected = detail::hmac_sha256(secret, signed_payload(*t_text, body));
    bool any = false;
    for (auto candidate : v1) any = matches(expected, candidate) || any; // no early exit: same work for every v1
    if (!any) return fail("signature_mismatch");
    return {true, ""};
}

std::string sign_stripe_signature(std::string_view secret, std::int64_t timestamp_unix_s, std::string_view body) {
    const auto t = std::to_string(timestamp_unix_s);
    return "t=" + t + ",v1=" + detail::to_hex(detail::hmac_sha256(secret, signed_payload(t, body)));
}

} // namespace sr::host
