// Accounts, tokens, authentication, roles and the audit log, against a real database.
#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "auth/account_repository.hpp"
#include "auth/audit_log.hpp"
#include "auth/authenticator.hpp"
#include "auth/permissions.hpp"
#include "db/migrator.hpp"
#include "test_database.hpp"

using namespace sr::host;
using sr::test::test_database;

namespace {

struct migrated {
    test_database db;
    pqxx::connection conn{db.conninfo()};
    migrated() { migrate(conn); }
};

struct member {
    std::string org_id, user_id, token, token_id;
};

member make_member(pqxx::work& tx, const std::string& org_name, role r) {
    auto org = create_organization(tx, org_name);
    auto user = create_user(tx, "u@" + org.slug + ".test");
    add_member(tx, org.id, user, r);
    auto token = create_api_token(tx, org.id, user, "t");
    return {org.id, user, token.token, token.id};
}

} // namespace

TEST_CASE("The role table grants owner everything and admin everything but the system permissions") {
    for (int p = 0; p <= static_cast<int>(permission::system_config); ++p) {
        auto perm = static_cast<permission>(p);
        CHECK(allowed(role::owner, perm));
        bool system = perm == permission::system_admin || perm == permission::system_monitoring ||
                      perm == permission::system_config;
        CHECK(allowed(role::admin, perm) == !system);
    }
}

TEST_CASE("The role table lets a member run scenarios but not delete them or manage connections") {
    CHECK(allowed(role::member, permission::scenario_create));
    CHECK(allowed(role::member, permission::scenario_update));
    CHECK(allowed(role::member, permission::scenario_execute));
    CHECK(allowed(role::member, permission::connection_test));
    CHECK_FALSE(allowed(role::member, permission::scenario_delete));
    CHECK_FALSE(allowed(role::member, permission::connection_create));
    CHECK_FALSE(allowed(role::member, permission::org_member_invite));
}

TEST_CASE("The role table lets a viewer only read scenarios and connections") {
    for (int p = 0; p <= static_cast<int>(permission::system_config); ++p) {
        auto perm = static_cast<permission>(p);
        bool read = perm == permission::scenario_read || perm == permission::connection_read;
        CHECK(allowed(role::viewer, perm) == read);
    }
}

TEST_CASE("Roles and permissions have the product documents' names") {
    CHECK(parse_role("admin") == role::admin);
    CHECK_FALSE(parse_role("Admin"));
    CHECK_FALSE(parse_role("root"));
    CHECK(to_string(permission::org_member_role_update) == "org:member:role:update");
    CHECK(to_string(role::viewer) == "viewer");
}

TEST_CASE("bearer_token reads the Bearer scheme case-insensitively and refuses others") {
    std::string ok = "Bearer abc", lower = "bearer  xyz ", basic = "Basic abc", empty = "Bearer ", bare = "abc";
    CHECK(bearer_token(&ok) == std::string_view("abc"));
    CHECK(bearer_token(&lower) == std::string_view("xyz"));
    CHECK_FALSE(bearer_token(&basic));
    CHECK_FALSE(bearer_token(&empty));
    CHECK_FALSE(bearer_token(&bare));
    CHECK_FALSE(bearer_token(nullptr));
}

TEST_CASE("A fresh token authenticates as its user, organization and role") {
    migrated m;
    pqxx::work tx(m.conn);
    auto who = make_member(tx, "Acme", role::admin);
    auto p = authenticate(tx, who.token);
    REQUIRE(p);
    CHECK(p->user_id == who.user_id);
    CHECK(p->org_id == who.org_id);
    CHECK(p->role == role::admin);
    CHECK(p->token_id == who.token_id);
}

TEST_CASE("Only the token's hash is stored, with its prefix") {
    migrated m;
    pqxx::work tx(m.conn);
    auto who = make_member(tx, "Acme", role::owner);
    auto row = tx.exec_params1("SELECT encode(token_hash, 'hex'), prefix FROM api_tokens WHERE id = $1", who.token_id);
    CHECK(row[0].as<std::string>().size() == 64);
    CHECK(who.token.find(row[0].as<std::string>()) == std::string::npos);
    CHECK(who.token.rfind(row[1].as<std::string>(), 0) == 0);
    CHECK(tx.exec_params("SELECT 1 FROM api_tokens WHERE prefix = $1 OR encode(token_hash,'escape') = $1", who.token)
              .empty());
}

TEST_CASE("An unknown, altered, empty or oversized token does not authenticate") {
    migrated m;
    pqxx::work tx(m.conn);
    auto who = make_member(tx, "Acme", role::owner);
    auto altered = who.token;
    altered.back() = altered.back() == 'a' ? 'b' : 'a';
    CHECK_FALSE(authenticate(tx, altered));
    CHECK_FALSE(authenticate(tx, "srt_00000000_nothing"));
    CHECK_FALSE(authenticate(tx, ""));
    CHECK_FALSE(authenticate(tx, std::string(5000, 'x')));
}

TEST_CASE("A revoked token is refused") {
    migrated m;
    pqxx::work tx(m.conn);
    auto who = make_member(tx, "Acme", role::owner);
    CHECK(revoke_api_token(tx, who.org_id, who.token_id));
    CHECK_FALSE(authenticate(tx, who.token));
    CHECK_FALSE(revoke_api_token(tx, who.org_id, who.token_id));
}

TEST_CASE("An expired token is refused") {
    migrated m;
    pqxx::work tx(m.conn);
    auto who = make_member(tx, "Acme", role::owner);
    tx.exec_params("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1", who.token_id);
    CHECK_FALSE(authenticate(tx, who.token));
}

TEST_CASE("A token whose user left the organization, or whose user is deactivated, is refused") {
    migrated m;
    pqxx::work tx(m.conn);
    auto left = make_member(tx, "Left", role::member);
    tx.exec_params("DELETE FROM organization_members WHERE user_id = $1", left.user_id);
    CHECK_FALSE(authenticate(tx, left.token));
    auto inactive = make_member(tx, "Inactive", role::member);
    tx.exec_params("UPDATE users SET is_active = false WHERE id = $1", inactive.user_id);
    CHECK_FALSE(authenticate(tx, inactive.token));
}

TEST_CASE("authenticate sets last_used_at, and does not write it again within a minute") {
    migrated m;
    pqxx::work tx(m.conn);
    auto who = make_member(tx, "Acme", role::owner);
    CHECK(tx.exec_params1("SELECT last_used_at IS NULL FROM api_tokens WHERE id = $1", who.token_id)[0].as<bool>());
    REQUIRE(authenticate(tx, who.token));
    CHECK_FALSE(tx.exec_params1("SELECT last_used_at IS NULL FROM api_tokens WHERE id = $1", who.token_id)[0].as<bool>());
    tx.exec_params("UPDATE api_tokens SET last_used_at = '2000-01-01Z' WHERE id = $1", who.token_id);
    REQUIRE(authenticate(tx, who.token)); // stale: rewritten
    CHECK(tx.exec_params1("SELECT last_used_at > now() - interval '1 minute' FROM api_tokens WHERE id = $1",
                          who.token_id)[0].as<bool>());
    tx.exec_params("UPDATE api_tokens SET last_used_at = now() - interval '10 seconds' WHERE id = $1", who.token_id);
    auto before = tx.exec_params1("SELECT last_used_at::text FROM api_tokens WHERE id = $1", who.token_id)[0].as<std::string>();
    REQUIRE(authenticate(tx, who.token)); // fresh: untouched
    CHECK(tx.exec_params1("SELECT last_used_at::text FROM api_tokens WHERE id = $1", who.token_id)[0].as<std::string>() == before);
}

TEST_CASE("create_organization derives a slug from the name and refuses a taken or malformed slug") {
    migrated m;
    pqxx::work tx(m.conn);
    auto org = create_organization(tx, "My Big  Company!");
    CHECK(org.slug == "my-big-company");
    try {
        create_organization(tx, "Other", "my-big-company");
        FAIL("a taken slug was accepted");
    } catch (const store_error& e) {
        CHECK(e.code == "conflict");
    }
    try {
        create_organization(tx, "Bad", "Not A Slug");
        FAIL("a malformed slug was accepted");
    } catch (const store_error& e) {
        CHECK(e.code == "invalid_input");
    }
    CHECK(find_organization(tx, "my-big-company")->id == org.id);
    CHECK(find_organization(tx, org.id)->slug == "my-big-company");
    CHECK_FALSE(find_organization(tx, "nope"));
}

TEST_CASE("create_user refuses a malformed or already used e-mail, case-insensitively") {
    migrated m;
    pqxx::work tx(m.conn);
    auto id = create_user(tx, "Ann@Example.com");
    CHECK(find_user_by_email(tx, "ann@example.COM") == id);
    CHECK_THROWS_AS(create_user(tx, "ANN@example.com"), store_error);
    CHECK_THROWS_AS(create_user(tx, "not an email"), store_error);
}

TEST_CASE("add_member refuses a second membership and unknown users") {
    migrated m;
    pqxx::work tx(m.conn);
    auto who = make_member(tx, "Acme", role::viewer);
    try {
        add_member(tx, who.org_id, who.user_id, role::admin);
        FAIL("a second membership was accepted");
    } catch (const store_error& e) {
        CHECK(e.code == "conflict");
    }
    try {
        add_member(tx, who.org_id, "00000000-0000-0000-0000-000000000000", role::admin);
        FAIL("an unknown user was accepted");
    } catch (const store_error& e) {
        CHECK(e.code == "not_found");
    }
    CHECK(member_role(tx, who.org_id, who.user_id) == role::viewer);
}

TEST_CASE("create_api_token refuses a user who is not a member") {
    migrated m;
    pqxx::work tx(m.conn);
    auto org = create_organization(tx, "Acme");
    auto user = create_user(tx, "x@y.z");
    CHECK_THROWS_AS(create_api_token(tx, org.id, user, "t"), store_error);
}

TEST_CASE("write_audit records who, what, which resource, from where, and drops an invalid IP") {
    migrated m;
    pqxx::work tx(m.conn);
    auto who = make_member(tx, "Acme", role::owner);
    principal p{who.user_id, who.org_id, role::owner, who.token_id};
    auto id = write_audit(tx, p, "scenario.create", "scenario", "s-1", boost::json::object{{"name", "n"}},
                          "127.0.0.1", "curl/8.0");
    auto row = tx.exec_params1("SELECT organization_id::text, user_id::text, action, resource_type, resource_id, "
                               "details->>'name', host(ip), user_agent, at > now() - interval '1 minute' "
                               "FROM audit_logs WHERE id = $1",
                               id);
    CHECK(row[0].as<std::string>() == who.org_id);
    CHECK(row[1].as<std::string>() == who.user_id);
    CHECK(row[2].as<std::string>() == "scenario.create");
    CHECK(row[3].as<std::string>() == "scenario");
    CHECK(row[4].as<std::string>() == "s-1");
    CHECK(row[5].as<std::string>() == "n");
    CHECK(row[6].as<std::string>() == "127.0.0.1");
    CHECK(row[7].as<std::string>() == "curl/8.0");
    CHECK(row[8].as<bool>());
    auto bad = write_audit(tx, p, "x", "y", "", nullptr, "not-an-ip", "\xff\xfe agent");
    auto r2 = tx.exec_params1("SELECT ip IS NULL, resource_id IS NULL, user_agent, details::text FROM audit_logs WHERE id = $1", bad);
    CHECK(r2[0].as<bool>());
    CHECK(r2[1].as<bool>());
    CHECK(r2[2].as<std::string>() == "?? agent");
    CHECK(r2[3].as<std::string>() == "{}");
}
