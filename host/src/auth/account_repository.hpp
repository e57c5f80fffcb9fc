#pragma once
// Organizations, users, memberships and API tokens. Plain functions over the caller's
// transaction (run them on db_pool threads). Errors: store_error with code invalid_input
// (bad name, slug, e-mail or role), conflict (slug, e-mail or membership taken), not_found.
#include <optional>
#include <string>
#include <string_view>

#include <pqxx/transaction_base>

#include "auth/permissions.hpp"
#include "store/store_error.hpp"

namespace sr::host {

struct organization_ref {
    std::string id, name, slug;
};

// `slug` empty: derived from the name (lower case, runs of other characters become '-').
organization_ref create_organization(pqxx::transaction_base& tx, std::string_view name, std::string_view slug = {});
std::optional<organization_ref> find_organization(pqxx::transaction_base& tx, std::string_view id_or_slug);

// Returns the new user's id. E-mails are unique case-insensitively.
std::string create_user(pqxx::transaction_base& tx, std::string_view email, std::string_view name = {});
std::optional<std::string> find_user_by_email(pqxx::transaction_base& tx, std::string_view email);

// `invited_by` may be "".
void add_member(pqxx::transaction_base& tx, std::string_view org_id, std::string_view user_id, role r,
                std::string_view invited_by = {});
std::optional<role> member_role(pqxx::transaction_base& tx, std::string_view org_id, std::string_view user_id);

struct created_token {
    std::string id;
    std::string token;  // the secret: shown once, never stored
    std::string prefix; // stored, safe to list
};

// The user must be a member of the organization (else not_found). `expires_in_seconds` <= 0:
// never expires.
created_token create_api_token(pqxx::transaction_base& tx, std::string_view org_id, std::string_view user_id,
                               std::string_view name, long long expires_in_seconds = 0);
// False when there is no such live token in the organization.
bool revoke_api_token(pqxx::transaction_base& tx, std::string_view org_id, std::string_view token_id);

} // namespace sr::host
