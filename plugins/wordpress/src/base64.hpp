#pragma once
// Base64 (RFC 4648, standard alphabet) for Basic credentials and media given as bytes.
#include <optional>
#include <string>
#include <string_view>

namespace sr::plugins::wordpress {

std::string base64_encode(std::string_view bytes);

// Decodes standard base64; ASCII whitespace is ignored and padding is optional. nullopt when
// any other character is not of the alphabet or the length is impossible.
std::optional<std::string> base64_decode(std::string_view text);

} // namespace sr::plugins::wordpress
