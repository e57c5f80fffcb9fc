#include "store/run_cursor.hpp"

#include "store/detail/sql_text.hpp"

namespace sr::host {

namespace {
constexpr char hex_digits[] = "0123456789abcdef";

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}
} // namespace

// Hex of "created_at|id": opaque to clients, and safe in a URL without escaping.
std::string encode_run_cursor(const run_cursor& cursor) {
    std::string plain = cursor.created_at + "|" + cursor.id;
    std::string out;
    out.reserve(plain.size() * 2);
    for (unsigned char c : plain) {
        out += hex_digits[c >> 4];
        out += hex_digits[c & 0xf];
    }
    return out;
}

std::optional<run_cursor> decode_run_cursor(std::string_view text) {
    if (text.empty() || text.size() % 2 != 0 || text.size() > 256) return std::nullopt;
    std::string plain;
    for (std::size_t i = 0; i < text.size(); i += 2) {
        int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        plain += static_cast<char>(hi * 16 + lo);
    }
    auto bar = plain.find('|');
    if (bar == std::string::npos) return std::nullopt;
    run_cursor c{plain.substr(0, bar), plain.substr(bar + 1)};
    if (!detail::is_uuid(c.id) || !detail::normalize_timestamp(c.created_at)) return std::nullopt;
    return c;
}

} // namespace sr::host
