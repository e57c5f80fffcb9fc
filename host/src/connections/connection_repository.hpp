#pragma once
// An organization's connections (table connections). Every function takes the caller's
// transaction and the organization id, and never reads or changes another organization's
// rows. Errors are store_error with codes "not_found", "conflict", "validation_failed",
// "invalid_input"; no message or detail ever holds a credential value.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <pqxx/transaction_base>

#include "connections/connection_row.hpp"
#include "security/vault.hpp"

namespace sr::host {

// Checks `credentials` (a JSON object) against the connection type's schema in the latest
// manifest of `integration` (manifest id), seals them with the vault (associated data
// "<org_id>/<connection id>"), and stores them with their masked summary. user_id "" = unknown.
// Unknown integration or connection type: "invalid_input"; schema violations:
// "validation_failed" with details [{"path": "credentials.<field>", "message"}].
connection_row create_connection(pqxx::transaction_base& tx, const vault& v, std::string_view org_id,
                                 std::string_view user_id, std::string_view integration,
                                 std::string_view connection_type, std::string_view name,
                                 const boost::json::value& credentials);

// Newest first; `integration` "" = all integrations. Masked summaries only.
std::vector<connection_row> list_connections(pqxx::transaction_base& tx, std::string_view org_id,
                                             std::string_view integration = {});
std::optional<connection_row> find_connection(pqxx::transaction_base& tx, std::string_view org_id,
                                              std::string_view connection_id);

// `patch` members: "name", "description" (string or null), "status" (active|inactive|error|testing),
// "credentials" (replaces them whole: validated, re-sealed with a fresh nonce under the current
// key, masked summary rewritten). Any other member is "invalid_input". Missing: "not_found".
connection_row update_connection(pqxx::transaction_base& tx, const vault& v, std::string_view org_id,
                                 std::string_view connection_id, const boost::json::object& patch);

// False when there is no such connection in the organization; "conflict" while a published
// scenario version still uses it.
bool delete_connection(pqxx::transaction_base& tx, std::string_view org_id, std::string_view connection_id);

// The decrypted credentials JSON, for the executor's call only: never log or return it.
// "not_found" when missing; vault_error when it cannot be opened.
std::string open_credentials(pqxx::transaction_base& tx, const vault& v, std::string_view org_id,
                             std::string_view connection_id);

// Records a "test connection" outcome: status active/error, last_tested_at now, test_result.
// `result` must not hold secrets (it is returned by the API).
connection_row record_connection_test(pqxx::transaction_base& tx, std::string_view org_id,
                                      std::string_view connection_id, bool ok, const boost::json::value& result);

} // namespace sr::host
