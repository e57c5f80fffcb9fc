#pragma once
// Byte/text encodings the security part needs (hex, base64). Decoders return nullopt on any
// malformed input instead of guessing.
#include <optional>
#include <string>
#include <string_view>

namespace sr::host::detail {

std::string to_hex(std::string_view bytes); // lowercase
std::optional<std::string> from_hex(std::string_view text);
std::string to_base64url(std::string_view bytes); // RFC 4648 §5, no padding
// Standard (RFC 4648 §4) base64, padding required when the length asks for it.
std::optional<std::string> from_base64(std::string_view text);

} // namespace sr::host::detail
