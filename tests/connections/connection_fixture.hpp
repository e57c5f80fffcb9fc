#pragma once
// A migrated test database with one integration ("demo_crm", connection type "api_key" whose
// api_key is secret) and two organizations, for the connection and rotation tests.
#include <string>

#include <boost/json/value.hpp>
#include <pqxx/pqxx>

#include "security/vault.hpp"
#include "test_database.hpp"

namespace sr::test {

// A credential value that must never show up outside the ciphertext.
inline const std::string secret_api_key = "sk_live_TOPSECRET_4242_abcdefXYZ9";

class connection_fixture {
public:
    connection_fixture();

    pqxx::connection& conn() { return conn_; }
    const std::string& conninfo() const { return db_.conninfo(); }
    std::string org_a, org_b, user_a;

    std::string make_org(const std::string& slug);
    // {"api_key": secret_api_key, "base_url": "https://crm.example.com", "region": "eu"}
    static boost::json::value good_credentials();
    // Creates a connection in org (committed) and returns its id.
    std::string create(const sr::host::vault& v, const std::string& org, const std::string& name = "CRM");
    // A webhook endpoint with a sealed secret in a new scenario of `org` (committed); returns its id.
    std::string create_webhook_endpoint(const sr::host::vault& v, const std::string& org, const std::string& secret);

private:
    test_database db_;
    pqxx::connection conn_;
};

// Whether `text` contains `part`.
inline bool has_text(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

} // namespace sr::test
