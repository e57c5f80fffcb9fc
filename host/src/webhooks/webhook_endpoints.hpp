#pragma once
// The webhook_endpoints repository: one endpoint per webhook trigger node of a scenario's
// published graph, each with a public id (the {endpoint} of /webhooks/{endpoint}) and its own
// secret sealed by the vault. Plain functions over the caller's transaction (db_pool threads).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>
#include <pqxx/transaction_base>

#include "security/vault.hpp"

namespace sr::host {

struct webhook_endpoint_row {
    std::string id;             // uuid of the row (binds the sealed secret)
    std::string public_id;      // 32 URL-safe random characters
    std::string scenario_id, organization_id, node_id;
    std::string verification;   // hmac_sha256 | stripe | monday | none
    std::string response_mode;  // async | sync
    int response_timeout_ms = 10'000;
    bool is_active = true;
    bool created = false;       // set by sync_webhook_endpoints: made by this publish
    sealed secret;              // empty ciphertext when the row has none
};

// For each webhook trigger node of `version_definition` (a published {nodes, edges} graph):
// creates its endpoint on first publish (random public id; random secret sealed with
// associated data webhook_secret_associated_data(row id)); on later publishes keeps public id
// and secret and refreshes verification, response_mode and response_timeout_ms from the node's
// settings; reactivates it if it had been deactivated. Endpoints of nodes that are gone are
// deactivated (kept, so their URL never points at another node). A node is a webhook trigger
// when its plugin's registered manifest (integration_versions, same major) declares the
// trigger with kind "webhook"; when the plugin is not registered, when its action id is
// "webhook". Settings: "verification" (default: the manifest's, else hmac_sha256),
// "response_mode" (async|sync, default async), "response_timeout_ms" (1..300000, default
// 10000). Throws store_error{"validation_failed"} naming the node for a bad setting.
// Returns the scenario's active endpoints after the sync, ordered by node id.
std::vector<webhook_endpoint_row> sync_webhook_endpoints(pqxx::transaction_base& tx, const vault& keys,
                                                         std::string_view scenario_id,
                                                         const boost::json::value& version_definition);

// The plaintext secret of the node's endpoint, for the API to show to its owner; never logged.
// Throws store_error{"not_found"} when the scenario is not the organization's or the node has
// no endpoint, vault_error when the secret does not open.
std::string webhook_secret(pqxx::transaction_base& tx, const vault& keys, std::string_view org_id,
                           std::string_view scenario_id, std::string_view node_id);

// The scenario's endpoints (active or not), for the API. Empty when the scenario is not the
// organization's.
std::vector<webhook_endpoint_row> list_webhook_endpoints(pqxx::transaction_base& tx, std::string_view org_id,
                                                         std::string_view scenario_id);

// The active endpoint with that public id, with its sealed secret, or nullopt.
std::optional<webhook_endpoint_row> find_active_endpoint(pqxx::transaction_base& tx, std::string_view public_id);

// A random string of `length` characters from [A-Za-z0-9_-] (OpenSSL RAND_bytes).
std::string random_url_safe(std::size_t length);

} // namespace sr::host
