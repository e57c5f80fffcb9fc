#include "webhooks/webhook_endpoints.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <openssl/rand.h>
#include <pqxx/pqxx>

#include <algorithm>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "db/prepared_sql.hpp"
#include "runtime/uuid_text.hpp"
#include "sr/core/model/scenario.hpp"
#include "security/associated_data.hpp"
#include "store/store_error.hpp"

namespace sr::host {
namespace {

constexpr std::string_view url_safe_chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::size_t public_id_length = 32;
constexpr std::size_t secret_length = 43; // 258 random bits, like base64url of 32 bytes
constexpr int max_response_timeout_ms = 300'000;

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
        throw std::runtime_error("the random number generator failed");
    return out;
}

std::string random_uuid() {
    auto b = random_bytes(16);
    b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);
    std::string out;
    for (std::size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += fmt::format("{:02x}", static_cast<unsigned char>(b[i]));
    }
    return out;
}

// What a webhook trigger node asks of its endpoint.
struct endpoint_settings {
    std::string node_id, verification, response_mode;
    int response_timeout_ms = 10'000;
};

[[noreturn]] void bad_setting(const std::string& node_id, std::string_view field, std::string_view message) {
    boost::json::array problems;
    problems.push_back(boost::json::object{{"code", "invalid_field"}, {"node_id", node_id},
                                           {"field", std::string("settings.") + std::string(field)},
                                           {"message", message}});
    throw store_error("validation_failed", fmt::format("node {}: {}", node_id, message), std::move(problems));
}

std::string string_setting(const boost::json::object& settings, const std::string& node_id, std::string_view field,
                           std::string fallback, std::initializer_list<std::string_view> allowed) {
    auto* v = settings.if_contains(field);
    if (v == nullptr || v->is_null()) return fallback;
    const auto* text = v->if_string();
    if (text == nullptr || std::find(allowed.begin(), allowed.end(), std::string_view(*text)) == allowed.end()) {
        std::string list;
        for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        bad_setting(node_id, field, fmt::format("'{}' must be one of {}", field, list));
    }
    return std::string(*text);
}

int timeout_setting(const boost::json::object& settings, const std::string& node_id) {
    auto* v = settings.if_contains("response_timeout_ms");
    if (v == nullptr || v->is_null()) return 10'000;
    if (auto* i = v->if_int64(); i && *i >= 1 && *i <= max_response_timeout_ms) return static_cast<int>(*i);
    if (auto* u = v->if_uint64(); u && *u >= 1 && *u <= static_cast<std::uint64_t>(max_response_timeout_ms))
        return static_cast<int>(*u);
    bad_setting(node_id, "response_timeout_ms",
                fmt::format("'response_timeout_ms' must be an integer from 1 to {}", max_response_timeout_ms));
}

// The manifest's declaration of trigger `action` in the newest registered version of the
// plugin within the pinned major: {found, kind, verification}.
struct trigger_declaration {
    bool registered = false; // the plugin (any version of that major) is known
    std::string kind, verification;
};

trigger_declaration find_trigger(pqxx::transaction_base& tx, std::string_view integration, std::string_view action,
                                 int major) {
    auto rows = tx.exec_params(
        "SELECT v.manifest -> 'triggers' FROM integration_versions v JOIN integrations i ON i.id = v.integration_id "
        "WHERE i.manifest_id = $1 AND v.major = $2 "
        "ORDER BY v.minor DESC, v.patch DESC, (v.prerelease IS NULL) DESC, v.prerelease DESC LIMIT 1",
        std::string(integration), major);
    trigger_declaration out;
    if (rows.empty()) return out;
    out.registered = true;
    if (rows[0][0].is_null()) return out;
    auto triggers = boost::json::parse(rows[0][0].c_str());
    if (!triggers.is_array()) return out;
    for (const auto& t : triggers.as_array()) {
        const auto* o = t.if_object();
        if (o == nullptr) continue;
        auto* id = o->if_contains("id");
        if (id == nullptr || !id->is_string() || id->as_string() != action) continue;
        if (auto* k = o->if_contains("kind"); k && k->is_string()) out.kind = std::string(k->as_string());
        if (auto* v = o->if_contains("verification"); v && v->is_string()) out.verification = std::string(v->as_string());
    }
    return out;
}

std::vector<endpoint_settings> webhook_nodes(pqxx::transaction_base& tx, const boost::json::value& definition) {
    auto parsed = core::parse_scenario(definition);
    if (!parsed.definition)
        throw store_error("invalid_input", "the published definition is not a scenario graph");
    std::vector<endpoint_settings> out;
    for (const auto& node : parsed.definition->nodes) {
        auto declared = find_trigger(tx, node.integration, node.action, static_cast<int>(node.plugin_major));
        bool is_webhook = declared.registered ? declared.kind == "webhook" : node.action == "webhook";
        if (!is_webhook) continue;
        boost::json::object settings;
        if (const auto* s = node.settings.if_object()) settings = *s;
        endpoint_settings e;
        e.node_id = node.id;
        std::string fallback = declared.verification.empty() ? "hmac_sha256" : declared.verification;
        e.verification = string_setting(settings, e.node_id, "verification", fallback,
                                        {"hmac_sha256", "stripe", "monday", "none"});
        e.response_mode = string_setting(settings, e.node_id, "response_mode", "async", {"async", "sync"});
        e.response_timeout_ms = timeout_setting(settings, e.node_id);
        out.push_back(std::move(e));
    }
    return out;
}

constexpr const char* endpoint_columns =
    "e.id::text, e.public_id, e.scenario_id::text, s.organization_id::text, e.node_id, e.verification, "
    "e.response_mode, e.response_timeout_ms, e.is_active, e.secret, e.secret_nonce, coalesce(e.secret_key_id, '')";

webhook_endpoint_row to_row(const pqxx::row& r) {
    webhook_endpoint_row e;
    e.id = r[0].as<std::string>();
    e.public_id = r[1].as<std::string>();
    e.scenario_id = r[2].as<std::string>();
    e.organization_id = r[3].as<std::string>();
    e.node_id = r[4].as<std::string>();
    e.verification = r[5].as<std::string>();
    e.response_mode = r[6].as<std::string>();
    e.response_timeout_ms = r[7].as<int>();
    e.is_active = r[8].as<bool>();
    if (!r[9].is_null()) {
        e.secret.ciphertext = pqxx::binarystring(r[9]).str();
        e.secret.nonce = pqxx::binarystring(r[10]).str();
        e.secret.key_id = r[11].as<std::string>();
    }
    return e;
}

std::vector<webhook_endpoint_row> endpoints_of(pqxx::transaction_base& tx, std::string_view scenario_id, bool active_only,
                                               bool lock) {
    auto rows = tx.exec_params(fmt::format("SELECT {} FROM webhook_endpoints e JOIN scenarios s ON s.id = e.scenario_id "
                                           "WHERE e.scenario_id = $1 {} ORDER BY e.node_id {}",
                                           endpoint_columns, active_only ? "AND e.is_active" : "",
                                           lock ? "FOR UPDATE OF e" : ""),
                               std::string(scenario_id));
    std::vector<webhook_endpoint_row> out;
    for (const auto& r : rows) out.push_back(to_row(r));
    return out;
}

void create_endpoint(pqxx::transaction_base& tx, const vault& keys, std::string_view scenario_id,
                     const endpoint_settings& s) {
    std::string id = random_uuid();
    std::string secret = "whsec_" + random_url_safe(secret_length);
    sealed box = keys.seal(secret, webhook_secret_associated_data(id));
    // A concurrent publish may have created it meanwhile: keep that row (its secret is bound
    // to its own id) and only refresh the settings.
    tx.exec_params("INSERT INTO webhook_endpoints (id, public_id, scenario_id, node_id, secret, secret_nonce, "
                   "  secret_key_id, verification, response_mode, response_timeout_ms) "
                   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                   "ON CONFLICT (scenario_id, node_id) DO UPDATE SET verification = EXCLUDED.verification, "
                   "  response_mode = EXCLUDED.response_mode, response_timeout_ms = EXCLUDED.response_timeout_ms, "
                   "  is_active = true, updated_at = now()",
                   id, random_url_safe(public_id_length), std::string(scenario_id), s.node_id,
                   pqxx::binarystring(box.ciphertext), pqxx::binarystring(box.nonce), box.key_id, s.verification,
                   s.response_mode, s.response_timeout_ms);
}

} // namespace

std::string random_url_safe(std::size_t length) {
    auto bytes = random_bytes(length);
    std::string out(length, '\0');
    for (std::size_t i = 0; i < length; ++i) out[i] = url_safe_chars[static_cast<unsigned char>(bytes[i]) & 0x3f];
    return out;
}

std::vector<webhook_endpoint_row> sync_webhook_endpoints(pqxx::transaction_base& tx, const vault& keys,
                                                         std::string_view scenario_id,
                                                         const boost::json::value& version_definition) {
    if (!is_uuid_text(scenario_id)) throw store_error("not_found", "scenario does not exist");
    auto wanted = webhook_nodes(tx, version_definition);
    std::map<std::string, webhook_endpoint_row> existing;
    for (auto& e : endpoints_of(tx, scenario_id, false, true)) existing.emplace(e.node_id, std::move(e));

    std::vector<std::string> created;
    for (const auto& s : wanted) {
        auto it = existing.find(s.node_id);
        if (it == existing.end()) {
            create_endpoint(tx, keys, scenario_id, s);
            created.push_back(s.node_id);
            continue;
        }
        tx.exec_params("UPDATE webhook_endpoints SET verification = $2, response_mode = $3, response_timeout_ms = $4, "
                       "  is_active = true, updated_at = now() WHERE id = $1",
                       it->second.id, s.verification, s.response_mode, s.response_timeout_ms);
        existing.erase(it);
    }
    for (const auto& [node_id, gone] : existing)
        if (gone.is_active)
            tx.exec_params("UPDATE webhook_endpoints SET is_active = false, updated_at = now() WHERE id = $1", gone.id);

    auto out = endpoints_of(tx, scenario_id, true, false);
    for (auto& e : out) e.created = std::find(created.begin(), created.end(), e.node_id) != created.end();
    return out;
}

std::string webhook_secret(pqxx::transaction_base& tx, const vault& keys, std::string_view org_id,
                           std::string_view scenario_id, std::string_view node_id) {
    if (!is_uuid_text(org_id) || !is_uuid_text(scenario_id)) throw store_error("not_found", "no such webhook endpoint");
    auto rows = tx.exec_params(fmt::format("SELECT {} FROM webhook_endpoints e JOIN scenarios s ON s.id = e.scenario_id "
                                           "WHERE s.organization_id = $1 AND e.scenario_id = $2 AND e.node_id = $3",
                                           endpoint_columns),
                               std::string(org_id), std::string(scenario_id), std::string(node_id));
    if (rows.empty()) throw store_error("not_found", "no such webhook endpoint");
    auto e = to_row(rows[0]);
    if (e.secret.ciphertext.empty()) throw store_error("not_found", "the webhook endpoint has no secret");
    return keys.open(e.secret, webhook_secret_associated_data(e.id));
}

std::vector<webhook_endpoint_row> list_webhook_endpoints(pqxx::transaction_base& tx, std::string_view org_id,
                                                         std::string_view scenario_id) {
    if (!is_uuid_text(org_id) || !is_uuid_text(scenario_id)) return {};
    auto rows = tx.exec_params(fmt::format("SELECT {} FROM webhook_endpoints e JOIN scenarios s ON s.id = e.scenario_id "
                                           "WHERE s.organization_id = $1 AND e.scenario_id = $2 ORDER BY e.node_id",
                                           endpoint_columns),
                               std::string(org_id), std::string(scenario_id));
    std::vector<webhook_endpoint_row> out;
    for (const auto& r : rows) {
        out.push_back(to_row(r));
        out.back().secret = {}; // listing never carries secret material
    }
    return out;
}

std::optional<webhook_endpoint_row> find_active_endpoint(pqxx::transaction_base& tx, std::string_view public_id) {
    // The public id's alphabet and length are checked first: anything else cannot exist.
    if (public_id.size() < 8 || public_id.size() > 128 ||
        public_id.find_first_not_of(url_safe_chars) != std::string_view::npos)
        return std::nullopt;
    static const prepared_sql select_active{
        fmt::format("SELECT {} FROM webhook_endpoints e JOIN scenarios s ON s.id = e.scenario_id "
                    "WHERE e.public_id = $1 AND e.is_active",
                    endpoint_columns)};
    auto rows = select_active.exec(tx, std::string(public_id));
    if (rows.empty()) return std::nullopt;
    return to_row(rows[0]);
}

} // namespace sr::host
