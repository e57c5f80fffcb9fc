#pragma once
// A last line of defence for logs: a plugin that writes its credentials into a log message
// gets them masked. Every string in the call's connection JSON (decrypted credentials) counts.
#include <string>
#include <string_view>

namespace sr::host {

// `message` with each occurrence of a string value of `connection_json` (at any depth, at
// least 4 bytes long) replaced by "[redacted]". Unparseable JSON redacts nothing.
std::string redact_secrets(std::string_view message, std::string_view connection_json);

} // namespace sr::host
