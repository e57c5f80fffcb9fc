#pragma once
// Re-encrypts every sealed secret (connections.credentials, webhook_endpoints.secret) that is
// not under the vault's current key. Work goes in batches, each its own transaction, so an
// interruption loses at most one batch and a second run picks up what is left: a row already
// under the current key is never touched again.
#include <cstddef>
#include <functional>
#include <string>

#include <pqxx/connection>

#include "security/vault.hpp"

namespace sr::host {

struct rotation_report {
    std::size_t connections = 0;     // rows re-sealed by this run
    std::size_t webhook_secrets = 0;
    std::size_t batches = 0;         // committed transactions that changed rows
    bool finished = false;           // true: no row was left under another key; false: stopped at max_batches
};

// Before any change, refuses (vault_error naming the key ids) when a row is sealed under a key
// the vault does not hold. `max_batches` 0 = until done, otherwise stop after that many
// batches. `on_batch`, if set, is called after each commit.
rotation_report rotate_keys(pqxx::connection& conn, const vault& v, std::size_t batch_size = 500,
                            std::size_t max_batches = 0,
                            const std::function<void(const rotation_report&)>& on_batch = {});

// One line per table and key id: "connections <key id> <rows>", "webhook_secrets <key id> <rows>".
std::string describe_key_usage(pqxx::connection& conn);

} // namespace sr::host
