#include "triggers/polling_sync.hpp"

#include <vector>

#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "sr/core/model/scenario.hpp"

namespace sr::host {

namespace json = boost::json;

namespace {

constexpr int64_t default_interval_s = 60;

// The manifest's declaration of trigger `id`, from the newest registered version of the
// plugin within the pinned major; null when it is not a polling trigger.
json::value polling_declaration(pqxx::transaction_base& tx, const core::scenario_node& node) {
    auto rows = tx.exec_params("SELECT v.manifest::text FROM integration_versions v JOIN integrations i "
                               "ON i.id = v.integration_id WHERE i.manifest_id = $1 AND v.major = $2 "
                               "ORDER BY (v.prerelease IS NULL) DESC, v.minor DESC, v.patch DESC LIMIT 1",
                               node.integration, static_cast<int>(node.plugin_major));
    if (rows.empty()) return nullptr;
    json::value manifest = json::parse(rows[0][0].c_str());
    const auto* triggers = manifest.as_object().if_contains("triggers");
    if (!triggers || !triggers->is_array()) return nullptr;
    for (const auto& t : triggers->as_array()) {
        if (!t.is_object()) continue;
        const auto* id = t.as_object().if_contains("id");
        const auto* kind = t.as_object().if_contains("kind");
        if (id && id->is_string() && id->as_string() == node.action && kind && kind->is_string() &&
            kind->as_string() == "polling")
            return t;
    }
    return nullptr;
}

int64_t interval_of(const core::scenario_node& node, const json::value& declaration) {
    auto positive = [](const json::value* v) -> int64_t {
        if (!v || !v->is_number()) return 0;
        auto n = v->to_number<double>();
        return n >= 1 && n <= 86'400 ? static_cast<int64_t>(n) : 0;
    };
    if (node.settings.is_object())
        if (auto n = positive(node.settings.as_object().if_contains("poll_interval_s"))) return n;
    if (auto n = positive(declaration.as_object().if_contains("poll_interval_s"))) return n;
    return default_interval_s;
}

} // namespace

std::size_t sync_polling_triggers(pqxx::transaction_base& tx, const std::string& scenario_id,
                                  const json::value& version_definition) {
    auto parsed = core::parse_scenario(version_definition);
    std::vector<std::string> kept;
    if (parsed.definition) {
        for (const auto& node : parsed.definition->nodes) {
            json::value declaration = polling_declaration(tx, node);
            if (declaration.is_null()) continue;
            tx.exec_params(
                "INSERT INTO polling_triggers (scenario_id, node_id, plugin_id, trigger_id, plugin_major, "
                "  connection_id, settings, interval_s) "
                "VALUES ($1, $2, $3, $4, $5, nullif($6, ''), $7::jsonb, $8) "
                "ON CONFLICT (scenario_id, node_id) DO UPDATE SET plugin_id = excluded.plugin_id, "
                "  trigger_id = excluded.trigger_id, plugin_major = excluded.plugin_major, "
                "  connection_id = excluded.connection_id, settings = excluded.settings, "
                "  interval_s = excluded.interval_s, is_active = true, last_error = NULL",
                scenario_id, node.id, node.integration, node.action, static_cast<int>(node.plugin_major),
                node.connection_id, json::serialize(node.settings.is_object() ? node.settings : json::object()),
                interval_of(node, declaration));
            kept.push_back(node.id);
        }
    }
    json::array ids;
    for (const auto& id : kept) ids.emplace_back(id);
    tx.exec_params("UPDATE polling_triggers SET is_active = false WHERE scenario_id = $1 AND is_active "
                   "AND node_id NOT IN (SELECT jsonb_array_elements_text($2::jsonb))",
                   scenario_id, json::serialize(ids));
    return kept.size();
}

} // namespace sr::host
