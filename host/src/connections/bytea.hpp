#pragma once
// A std::string of raw bytes (ciphertext, nonce) as a bytea parameter.
#include <string>

#include <pqxx/binarystring>

namespace sr::host {

inline pqxx::binarystring bytea(const std::string& s) { return pqxx::binarystring(s.data(), s.size()); }

} // namespace sr::host
