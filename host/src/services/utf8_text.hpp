#pragma once
// UTF-8 checks for text that plugins hand to the host: PostgreSQL refuses invalid UTF-8, and a
// log line must stay valid JSON whatever a plugin writes.
#include <string>
#include <string_view>

namespace sr::host {

// Well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF); NUL counts as bad
// because PostgreSQL text cannot hold it.
bool is_valid_utf8(std::string_view text) noexcept;

// `text` with each malformed sequence replaced by U+FFFD.
std::string to_valid_utf8(std::string_view text);

} // namespace sr::host
