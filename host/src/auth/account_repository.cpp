#include "auth/account_repository.hpp"

#include <cctype>
#include <regex>

#include <pqxx/pqxx>

#include "security/detail/encoding.hpp"
#include "security/token.hpp"

namespace sr::host {
namespace {

// The same rules as the schema's CHECKs, tested first so bad input is invalid_input and never
// an SQL error that would abort the caller's transaction.
bool valid_slug(std::string_view slug) {
    static const std::regex pattern("^[a-z0-9][a-z0-9-]{0,62}$");
    return std::regex_match(slug.begin(), slug.end(), pattern);
}

bool valid_email(std::string_view email) {
    static const std::regex pattern(R"(^[^@\s]+@[^@\s]+$)");
    return email.size() <= 320 && std::regex_match(email.begin(), email.end(), pattern);
}

bool valid_uuid(std::string_view s) {
    static const std::regex pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    return std::regex_match(s.begin(), s.end(), pattern);
}

std::string slug_from(std::string_view name) {
    std::string out;
    for (unsigned char c : name) {
        if (std::isalnum(c)) {
            out += static_cast<char>(std::tolower(c));
        } else if (!out.empty() && out.back() != '-') {
            out += '-';
        }
        if (out.size() == 63) break;
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

} // namespace

organization_ref create_organization(pqxx::transaction_base& tx, std::string_view name, std::string_view slug) {
    if (name.empty() || name.size() > 200) throw store_error("invalid_input", "the organization name must be 1 to 200 characters");
    std::string s = slug.empty() ? slug_from(name) : std::string(slug);
    if (!valid_slug(s))
        throw store_error("invalid_input", "the organization slug must be lower-case letters, digits and '-' (1 to 63)");
    auto rows = tx.exec_params("INSERT INTO organizations (name, slug) VALUES ($1, $2) ON CONFLICT DO NOTHING "
                               "RETURNING id::text",
                               std::string(name), s);
    if (rows.empty()) throw store_error("conflict", "an organization with slug '" + s + "' already exists");
    return {rows[0][0].as<std::string>(), std::string(name), s};
}

std::optional<organization_ref> find_organization(pqxx::transaction_base& tx, std::string_view id_or_slug) {
    std::string key(id_or_slug);
    auto rows = valid_uuid(key)
                    ? tx.exec_params("SELECT id::text, name, slug FROM organizations WHERE id = $1::uuid", key)
                    : tx.exec_params("SELECT id::text, name, slug FROM organizations WHERE slug = $1", key);
    if (rows.empty()) return std::nullopt;
    return organization_ref{rows[0][0].as<std::string>(), rows[0][1].as<std::string>(), rows[0][2].as<std::string>()};
}

std::string create_user(pqxx::transaction_base& tx, std::string_view email, std::string_view name) {
    if (!valid_email(email)) throw store_error("invalid_input", "not a valid e-mail address");
    auto rows = tx.exec_params("INSERT INTO users (email, name) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id::text",
                               std::string(email), std::string(name));
    if (rows.empty()) throw store_error("conflict", "a user with this e-mail already exists");
    return rows[0][0].as<std::string>();
}

std::optional<std::string> find_user_by_email(pqxx::transaction_base& tx, std::string_view email) {
    auto rows = tx.exec_params("SELECT id::text FROM users WHERE lower(email) = lower($1)", std::string(email));
    if (rows.empty()) return std::nullopt;
    return rows[0][0].as<std::string>();
}

void add_member(pqxx::transaction_base& tx, std::string_view org_id, std::string_view user_id, role r,
                std::string_view invited_by) {
    if (!valid_uuid(org_id) || !valid_uuid(user_id) || (!invited_by.empty() && !valid_uuid(invited_by)))
        throw store_error("invalid_input", "organization and user ids must be uuids");
    auto rows = tx.exec_params(
        "INSERT INTO organization_members (organization_id, user_id, role, invited_by) "
        "SELECT o.id, u.id, $3, NULLIF($4, '')::uuid FROM organizations o, users u "
        "WHERE o.id = $1::uuid AND u.id = $2::uuid ON CONFLICT DO NOTHING RETURNING 1",
        std::string(org_id), std::string(user_id), std::string(to_string(r)), std::string(invited_by));
    if (!rows.empty()) return;
    if (member_role(tx, org_id, user_id)) throw store_error("conflict", "the user is already a member");
    throw store_error("not_found", "no such organization or user");
}

std::optional<role> member_role(pqxx::transaction_base& tx, std::string_view org_id, std::string_view user_id) {
    if (!valid_uuid(org_id) || !valid_uuid(user_id)) return std::nullopt;
    auto rows = tx.exec_params("SELECT role FROM organization_members WHERE organization_id = $1::uuid AND user_id = $2::uuid",
                               std::string(org_id), std::string(user_id));
    if (rows.empty()) return std::nullopt;
    return parse_role(rows[0][0].as<std::string>());
}

created_token create_api_token(pqxx::transaction_base& tx, std::string_view org_id, std::string_view user_id,
                               std::string_view name, long long expires_in_seconds) {
    if (!member_role(tx, org_id, user_id)) throw store_error("not_found", "the user is not a member of the organization");
    auto issued = issue_token();
    auto rows = tx.exec_params(
        "INSERT INTO api_tokens (organization_id, user_id, name, token_hash, prefix, expires_at) "
        "VALUES ($1::uuid, $2::uuid, $3, decode($4, 'hex'), $5, "
        "        CASE WHEN $6::bigint > 0 THEN now() + $6::bigint * interval '1 second' END) RETURNING id::text",
        std::string(org_id), std::string(user_id), std::string(name), detail::to_hex(issued.hash), issued.prefix,
        expires_in_seconds);
    return {rows[0][0].as<std::string>(), std::move(issued.token), std::move(issued.prefix)};
}

bool revoke_api_token(pqxx::transaction_base& tx, std::string_view org_id, std::string_view token_id) {
    if (!valid_uuid(org_id) || !valid_uuid(token_id)) return false;
    auto rows = tx.exec_params("UPDATE api_tokens SET revoked_at = now() WHERE id = $1::uuid AND organization_id = $2::uuid "
                               "AND revoked_at IS NULL RETURNING 1",
                               std::string(token_id), std::string(org_id));
    return !rows.empty();
}

} // namespace sr::host
