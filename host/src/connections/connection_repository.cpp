#include "connections/connection_repository.hpp"

#include <algorithm>
#include <regex>
#include <set>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <pqxx/pqxx>

#include "connections/bytea.hpp"
#include "connections/credential_schema.hpp"
#include "security/associated_data.hpp"
#include "store/store_error.hpp"

namespace sr::host {

namespace json = boost::json;

namespace {

constexpr const char* iso = R"('YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')";

// The columns connection_row reads, in from_row's order; `c` is connections, `i` integrations.
const std::string row_columns = fmt::format(
    "c.id, c.organization_id, coalesce(c.created_by::text, ''), c.integration_id, i.manifest_id, c.connection_type, "
    "c.name, coalesce(c.description, ''), c.status, c.key_id, c.masked_summary::text, "
    "coalesce(to_char(c.last_tested_at AT TIME ZONE 'UTC', {0}), ''), coalesce(c.test_result::text, 'null'), "
    "to_char(c.created_at AT TIME ZONE 'UTC', {0}), to_char(c.updated_at AT TIME ZONE 'UTC', {0})",
    iso);

const std::string from_clause = " FROM connections c JOIN integrations i ON i.id = c.integration_id ";

connection_row from_row(const pqxx::row& r) {
    connection_row c;
    c.id = r[0].as<std::string>();
    c.organization_id = r[1].as<std::string>();
    c.created_by = r[2].as<std::string>();
    c.integration_id = r[3].as<std::string>();
    c.integration = r[4].as<std::string>();
    c.connection_type = r[5].as<std::string>();
    c.name = r[6].as<std::string>();
    c.description = r[7].as<std::string>();
    c.status = r[8].as<std::string>();
    c.key_id = r[9].as<std::string>();
    c.masked_summary = json::parse(r[10].as<std::string>()).as_object();
    c.last_tested_at = r[11].as<std::string>();
    c.test_result = json::parse(r[12].as<std::string>());
    c.created_at = r[13].as<std::string>();
    c.updated_at = r[14].as<std::string>();
    return c;
}

// Ids are checked before they reach SQL: a malformed uuid would abort the caller's transaction.
bool is_uuid(std::string_view s) {
    static const std::regex pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    return std::regex_match(s.begin(), s.end(), pattern);
}

void require_org(std::string_view org_id) {
    if (!is_uuid(org_id)) throw store_error("invalid_input", "organization id is not a uuid");
}

// PostgreSQL prints uuids in lowercase; associated data uses that spelling whatever the caller wrote.
std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

struct integration_info {
    std::string id;
    credential_schema schema;
};

// The latest version's manifest decides the credential schema.
integration_info load_integration(pqxx::transaction_base& tx, std::string_view integration, std::string_view type) {
    auto rows = tx.exec_params(
        "SELECT i.id, v.manifest::text FROM integrations i JOIN integration_versions v ON v.integration_id = i.id "
        "WHERE i.manifest_id = $1 ORDER BY v.is_latest DESC, v.major DESC, v.minor DESC, v.patch DESC LIMIT 1",
        std::string(integration));
    if (rows.empty()) throw store_error("invalid_input", fmt::format("unknown integration \"{}\"", integration));
    integration_info info;
    info.id = rows[0][0].as<std::string>();
    info.schema = credential_schema::from_manifest(json::parse(rows[0][1].as<std::string>()), type);
    if (info.schema.connection_type.empty())
        throw store_error("invalid_input",
                          fmt::format("integration \"{}\" has no connection type \"{}\"", integration, type));
    return info;
}

void check_credentials(const credential_schema& schema, const json::value& credentials) {
    if (!credentials.is_object())
        throw store_error("validation_failed", "credentials must be a JSON object",
                          json::array{json::object{{"path", "credentials"}, {"message", "must be an object"}}});
    auto problems = schema.validate(credentials);
    if (problems.empty()) return;
    const auto& first = problems.front().as_object();
    throw store_error("validation_failed",
                      fmt::format("credentials do not match connection type \"{}\": {}: {}", schema.connection_type,
                                  std::string_view(first.at("path").as_string()), std::string_view(first.at("message").as_string())),
                      std::move(problems));
}

std::string require_name(const json::value& v) {
    if (!v.is_string() || v.get_string().empty()) throw store_error("invalid_input", "name must be a non-empty string");
    return std::string(v.get_string());
}

std::optional<connection_row> select_one(pqxx::transaction_base& tx, std::string_view org_id, std::string_view id) {
    auto rows = tx.exec_params("SELECT " + row_columns + from_clause + "WHERE c.organization_id = $1 AND c.id = $2",
                               std::string(org_id), std::string(id));
    if (rows.empty()) return std::nullopt;
    return from_row(rows[0]);
}

connection_row require_one(pqxx::transaction_base& tx, std::string_view org_id, std::string_view id) {
    auto row = is_uuid(id) ? select_one(tx, org_id, id) : std::nullopt;
    if (!row) throw store_error("not_found", "connection not found");
    return *row;
}

// org_id and id as PostgreSQL spells them (from a row), since they form the associated data.
void write_credentials(pqxx::transaction_base& tx, const vault& v, const std::string& org_id, const std::string& id,
                       const credential_schema& schema, const json::value& credentials) {
    check_credentials(schema, credentials);
    const auto box = v.seal(json::serialize(credentials), connection_associated_data(org_id, id));
    tx.exec_params("UPDATE connections SET credentials = $3, nonce = $4, key_id = $5, masked_summary = $6::jsonb, "
                   "updated_at = now() WHERE organization_id = $1 AND id = $2",
                   org_id, id, bytea(box.ciphertext), bytea(box.nonce), box.key_id,
                   json::serialize(schema.mask(credentials.get_object())));
}

} // namespace

json::object to_json(const connection_row& row) {
    json::object o;
    o["id"] = row.id;
    o["organization_id"] = row.organization_id;
    o["created_by"] = row.created_by.empty() ? json::value(nullptr) : json::value(row.created_by);
    o["integration_id"] = row.integration_id;
    o["integration"] = row.integration;
    o["connection_type"] = row.connection_type;
    o["name"] = row.name;
    o["description"] = row.description;
    o["status"] = row.status;
    o["masked_summary"] = row.masked_summary;
    o["last_tested_at"] = row.last_tested_at.empty() ? json::value(nullptr) : json::value(row.last_tested_at);
    o["test_result"] = row.test_result;
    o["created_at"] = row.created_at;
    o["updated_at"] = row.updated_at;
    return o;
}

connection_row create_connection(pqxx::transaction_base& tx, const vault& v, std::string_view org_id,
                                 std::string_view user_id, std::string_view integration,
                                 std::string_view connection_type, std::string_view name,
                                 const json::value& credentials) {
    require_org(org_id);
    if (!user_id.empty() && !is_uuid(user_id)) throw store_error("invalid_input", "user id is not a uuid");
    const auto checked_name = require_name(json::value(json::string(name)));
    auto info = load_integration(tx, integration, connection_type);
    check_credentials(info.schema, credentials);
    const auto org = lower(org_id);
    if (tx.exec_params("SELECT 1 FROM organizations WHERE id = $1", org).empty())
        throw store_error("not_found", "organization not found");

    // The id comes first: the ciphertext is bound to it.
    const auto id = tx.exec("SELECT gen_random_uuid()::text")[0][0].as<std::string>();
    const auto box = v.seal(json::serialize(credentials), connection_associated_data(org, id));
    const std::optional<std::string> creator = user_id.empty() ? std::nullopt : std::optional<std::string>(user_id);
    tx.exec_params("INSERT INTO connections (id, organization_id, created_by, integration_id, connection_type, name, "
                   "credentials, nonce, key_id, masked_summary) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)",
                   id, org, creator, info.id, std::string(connection_type), checked_name, bytea(box.ciphertext),
                   bytea(box.nonce), box.key_id, json::serialize(info.schema.mask(credentials.get_object())));
    return require_one(tx, org, id);
}

std::vector<connection_row> list_connections(pqxx::transaction_base& tx, std::string_view org_id,
                                             std::string_view integration) {
    require_org(org_id);
    auto rows = tx.exec_params("SELECT " + row_columns + from_clause +
                                   "WHERE c.organization_id = $1 AND ($2 = '' OR i.manifest_id = $2) "
                                   "ORDER BY c.created_at DESC, c.id DESC",
                               std::string(org_id), std::string(integration));
    std::vector<connection_row> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(from_row(r));
    return out;
}

std::optional<connection_row> find_connection(pqxx::transaction_base& tx, std::string_view org_id,
                                              std::string_view connection_id) {
    require_org(org_id);
    if (!is_uuid(connection_id)) return std::nullopt;
    return select_one(tx, org_id, connection_id);
}

connection_row update_connection(pqxx::transaction_base& tx, const vault& v, std::string_view org_id,
                                 std::string_view connection_id, const json::object& patch) {
    require_org(org_id);
    for (const auto& [key, value] : patch)
        if (key != "name" && key != "description" && key != "status" && key != "credentials")
            throw store_error("invalid_input", fmt::format("unknown field \"{}\"", std::string_view(key)));
    const auto current = require_one(tx, org_id, connection_id);
    const std::string& org = current.organization_id;
    const std::string& id = current.id;

    if (const auto* name = patch.if_contains("name"))
        tx.exec_params("UPDATE connections SET name = $3, updated_at = now() WHERE organization_id = $1 AND id = $2", org,
                       id, require_name(*name));
    if (const auto* d = patch.if_contains("description")) {
        if (!d->is_string() && !d->is_null()) throw store_error("invalid_input", "description must be a string or null");
        const std::optional<std::string> text = d->is_null() ? std::nullopt : std::optional<std::string>(d->get_string());
        tx.exec_params("UPDATE connections SET description = $3, updated_at = now() WHERE organization_id = $1 AND id = $2",
                       org, id, text);
    }
    if (const auto* s = patch.if_contains("status")) {
        static const std::set<std::string_view> allowed{"active", "inactive", "error", "testing"};
        if (!s->is_string() || !allowed.count(s->get_string()))
            throw store_error("invalid_input", "status must be one of active, inactive, error, testing");
        tx.exec_params("UPDATE connections SET status = $3, updated_at = now() WHERE organization_id = $1 AND id = $2", org,
                       id, std::string(s->get_string()));
    }
    if (const auto* creds = patch.if_contains("credentials")) {
        auto info = load_integration(tx, current.integration, current.connection_type);
        write_credentials(tx, v, org, id, info.schema, *creds);
    }
    return require_one(tx, org, id);
}

bool delete_connection(pqxx::transaction_base& tx, std::string_view org_id, std::string_view connection_id) {
    require_org(org_id);
    if (!is_uuid(connection_id)) return false;
    const std::string org(org_id), id(connection_id);
    if (tx.exec_params("SELECT 1 FROM connections WHERE organization_id = $1 AND id = $2", org, id).empty()) return false;
    // scenario_nodes keep their connection for as long as the published version exists.
    if (!tx.exec_params("SELECT 1 FROM scenario_nodes WHERE connection_id = $1 LIMIT 1", id).empty())
        throw store_error("conflict", "the connection is used by a published scenario version");
    tx.exec_params("DELETE FROM connections WHERE organization_id = $1 AND id = $2", org, id);
    return true;
}

std::string open_credentials(pqxx::transaction_base& tx, const vault& v, std::string_view org_id,
                             std::string_view connection_id) {
    require_org(org_id);
    if (!is_uuid(connection_id)) throw store_error("not_found", "connection not found");
    auto rows = tx.exec_params("SELECT credentials, nonce, key_id FROM connections WHERE organization_id = $1 AND id = $2",
                               std::string(org_id), std::string(connection_id));
    if (rows.empty()) throw store_error("not_found", "connection not found");
    sealed box{pqxx::binarystring(rows[0][0]).str(), pqxx::binarystring(rows[0][1]).str(), rows[0][2].as<std::string>()};
    return v.open(box, connection_associated_data(lower(org_id), lower(connection_id)));
}

connection_row record_connection_test(pqxx::transaction_base& tx, std::string_view org_id,
                                      std::string_view connection_id, bool ok, const json::value& result) {
    require_org(org_id);
    const auto current = require_one(tx, org_id, connection_id);
    tx.exec_params("UPDATE connections SET status = $3, last_tested_at = now(), test_result = $4::jsonb, updated_at = now() "
                   "WHERE organization_id = $1 AND id = $2",
                   current.organization_id, current.id, std::string(ok ? "active" : "error"), json::serialize(result));
    return require_one(tx, org_id, connection_id);
}

} // namespace sr::host
