#include "connection_fixture.hpp"

#include <boost/json.hpp>

#include "connections/connection_repository.hpp"
#include "db/migrator.hpp"
#include "db/seeder.hpp"
#include "security/associated_data.hpp"

namespace sr::test {

namespace {

const char* manifest = R"({
  "id": "demo_crm", "name": "Demo CRM", "version": "1.0.0", "actions": [],
  "connections": [{
    "id": "api_key", "name": "API key",
    "schema": {"type": "object", "required": ["api_key", "base_url"], "additionalProperties": false,
               "properties": {"api_key": {"type": "string", "minLength": 20},
                              "base_url": {"type": "string", "pattern": "^https://"},
                              "region": {"type": "string", "enum": ["eu", "us"]},
                              "options": {"type": "object"}}},
    "secret_fields": ["api_key"]
  }]
})";

} // namespace

connection_fixture::connection_fixture() : conn_(db_.conninfo()) {
    sr::host::migrate(conn_);
    sr::host::plugin_record record{"demo_crm", "1.0.0", manifest, std::string(64, 'a'), "demo_crm.so", 1, 0};
    auto report = sr::host::seed_plugins(conn_, {record}, false);
    if (!report.errors.empty()) throw std::runtime_error("seeding failed: " + report.errors.front());
    org_a = make_org("org-a");
    org_b = make_org("org-b");
    pqxx::work tx(conn_);
    user_a = tx.exec("INSERT INTO users (email, name) VALUES ('a@example.com', 'A') RETURNING id::text")[0][0].as<std::string>();
    tx.exec_params("INSERT INTO organization_members (organization_id, user_id, role) VALUES ($1, $2, 'owner')", org_a, user_a);
    tx.commit();
}

std::string connection_fixture::make_org(const std::string& slug) {
    pqxx::work tx(conn_);
    auto id = tx.exec_params1("INSERT INTO organizations (name, slug) VALUES ($1, $1) RETURNING id::text", slug)[0].as<std::string>();
    tx.commit();
    return id;
}

boost::json::value connection_fixture::good_credentials() {
    return boost::json::object{{"api_key", secret_api_key}, {"base_url", "https://crm.example.com"}, {"region", "eu"}};
}

std::string connection_fixture::create(const sr::host::vault& v, const std::string& org, const std::string& name) {
    pqxx::work tx(conn_);
    auto row = sr::host::create_connection(tx, v, org, "", "demo_crm", "api_key", name, good_credentials());
    tx.commit();
    return row.id;
}

std::string connection_fixture::create_webhook_endpoint(const sr::host::vault& v, const std::string& org,
                                                        const std::string& secret) {
    pqxx::work tx(conn_);
    auto scenario = tx.exec_params1("INSERT INTO scenarios (organization_id, name) VALUES ($1, 'hooks') RETURNING id::text", org)[0]
                        .as<std::string>();
    auto id = tx.exec("SELECT gen_random_uuid()::text")[0][0].as<std::string>();
    auto box = v.seal(secret, sr::host::webhook_secret_associated_data(id));
    tx.exec_params("INSERT INTO webhook_endpoints (id, public_id, scenario_id, node_id, secret, secret_nonce, secret_key_id) "
                   "VALUES ($1, $2, $3, 'trigger', $4, $5, $6)",
                   id, "pub_" + id.substr(0, 8), scenario, pqxx::binarystring(box.ciphertext.data(), box.ciphertext.size()),
                   pqxx::binarystring(box.nonce.data(), box.nonce.size()), box.key_id);
    tx.commit();
    return id;
}

} // namespace sr::test
