#pragma once
// Bearer-token authentication: the token's SHA-256 is looked up (never the token itself), and
// a revoked or expired token, an inactive user or organization, or a user who is no longer a
// member is refused the same way (nullopt), so a caller learns nothing about which.
#include <optional>
#include <string>
#include <string_view>

#include <pqxx/transaction_base>

#include "auth/principal.hpp"

namespace sr::host {

// The token of an "Authorization: Bearer <token>" value (scheme case-insensitive); nullopt
// when the value is missing, of another scheme or empty.
std::optional<std::string_view> bearer_token(const std::string* authorization) noexcept;

// Updates last_used_at at most once a minute per token, so busy clients do not write on
// every request.
std::optional<principal> authenticate(pqxx::transaction_base& tx, std::string_view token);

} // namespace sr::host
