#pragma once
// Registers loaded plugins in the database: one integrations row per plugin id, one
// integration_versions row per version, and is_latest on the highest semver of each plugin.
#include <cstdint>
#include <string>
#include <vector>

#include <pqxx/connection>

namespace sr::host {

// One loaded plugin file, as the plugin registry describes it (plugin_registry::records()).
struct plugin_record {
    std::string id, version, manifest_json, sha256, file;  // sha256: of the .so, 64 hex digits
    uint32_t abi_major, abi_minor;
};

struct seed_report {
    int seeded = 0, updated = 0, skipped = 0;
    std::vector<std::string> errors;  // one line per plugin that could not be registered
};

// For each record, in one transaction serialized per plugin id with an advisory lock (so
// concurrent seeds neither duplicate nor fail): upserts the integration, inserts the version
// ("seeded"), or rewrites it when its sha256 or manifest changed or `force` is set
// ("updated"), else leaves it ("skipped"); then moves is_latest to the highest semver and
// refreshes the integration's metadata from that version's manifest. A record that fails
// (malformed manifest JSON, bad version, database error) is reported in `errors` and the
// others still run.
seed_report seed_plugins(pqxx::connection& conn, const std::vector<plugin_record>& plugins, bool force);

} // namespace sr::host
