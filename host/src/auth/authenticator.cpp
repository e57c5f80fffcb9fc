#include "auth/authenticator.hpp"

#include <pqxx/pqxx>

#include "security/detail/encoding.hpp"
#include "security/token.hpp"

namespace sr::host {
namespace {

// Longer than any token we issue; refused before hashing anything an attacker sends.
constexpr std::size_t max_token_length = 256;

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

} // namespace

std::optional<std::string_view> bearer_token(const std::string* authorization) noexcept {
    if (!authorization) return std::nullopt;
    std::string_view v(*authorization);
    constexpr std::string_view scheme = "bearer";
    if (v.size() <= scheme.size() || !iequals(v.substr(0, scheme.size()), scheme) || v[scheme.size()] != ' ')
        return std::nullopt;
    v.remove_prefix(scheme.size());
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    if (v.empty()) return std::nullopt;
    return v;
}

std::optional<principal> authenticate(pqxx::transaction_base& tx, std::string_view token) {
    if (token.empty() || token.size() > max_token_length) return std::nullopt;
    auto rows = tx.exec_params(
        "SELECT t.id::text, t.organization_id::text, t.user_id::text, m.role, "
        "       (t.last_used_at IS NULL OR t.last_used_at < now() - interval '60 seconds') AS stale "
        "FROM api_tokens t "
        "JOIN organization_members m ON m.organization_id = t.organization_id AND m.user_id = t.user_id "
        "JOIN users u ON u.id = t.user_id AND u.is_active "
        "JOIN organizations o ON o.id = t.organization_id AND o.is_active "
        "WHERE t.token_hash = decode($1, 'hex') AND t.revoked_at IS NULL "
        "  AND (t.expires_at IS NULL OR t.expires_at > now())",
        detail::to_hex(hash_token(token)));
    if (rows.empty()) return std::nullopt;
    const auto& row = rows[0];
    auto r = parse_role(row[3].as<std::string>());
    if (!r) return std::nullopt;
    principal who{row[2].as<std::string>(), row[1].as<std::string>(), *r, row[0].as<std::string>()};
    if (row[4].as<bool>())
        tx.exec_params("UPDATE api_tokens SET last_used_at = now() WHERE id = $1::uuid", who.token_id);
    return who;
}

} // namespace sr::host
