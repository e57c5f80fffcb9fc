// scenarioctl admin: the first organization, its owner and a token (bootstrap), and more
// tokens later. A token is printed once, on stdout, and only its hash is stored.
#include <cstdio>
#include <optional>

#include <boost/json/object.hpp>
#include <fmt/format.h>
#include <pqxx/pqxx>

#include "auth/account_repository.hpp"
#include "auth/audit_log.hpp"
#include "commands.hpp"
#include "common_options.hpp"

namespace sr::ctl {

namespace {

struct admin_options {
    common_options common;
    std::string org, email, role = "member", name;
};

// Splits the admin options from the common ones; an error message when something is wrong.
std::optional<std::string> parse(const std::vector<std::string>& args, std::size_t first, admin_options& out) {
    std::vector<std::string> rest{args[0]};
    for (std::size_t i = first; i < args.size(); ++i) {
        const auto& a = args[i];
        std::string* target = a == "--org" ? &out.org : a == "--email" ? &out.email : a == "--role" ? &out.role
                            : a == "--name" ? &out.name : nullptr;
        if (target) {
            if (i + 1 >= args.size()) return "missing value for " + a;
            *target = args[++i];
        } else {
            rest.push_back(a);
        }
    }
    if (auto err = parse_common(rest, out.common, false, false)) return err;
    if (out.org.empty() || out.email.empty()) return std::string("--org and --email are required");
    return std::nullopt;
}

host::principal audit_actor(const std::string& org_id, const std::string& user_id) {
    return {user_id, org_id, host::role::owner, ""};
}

int bootstrap(const admin_options& opts) {
    auto db = host::open_database(opts.common.data_dir);
    pqxx::connection conn(db.conninfo);
    pqxx::work tx(conn);
    // Serialises concurrent bootstraps so only one can see an empty table.
    tx.exec("LOCK TABLE organizations IN SHARE ROW EXCLUSIVE MODE");
    if (tx.exec("SELECT 1 FROM organizations LIMIT 1").size() != 0) {
        fmt::print(stderr, "scenarioctl admin bootstrap: an organization already exists; use 'admin token create'\n");
        return 1;
    }
    auto org = host::create_organization(tx, opts.org);
    auto user = host::find_user_by_email(tx, opts.email);
    std::string user_id = user ? *user : host::create_user(tx, opts.email, opts.name);
    host::add_member(tx, org.id, user_id, host::role::owner);
    auto token = host::create_api_token(tx, org.id, user_id, "bootstrap");
    host::write_audit(tx, audit_actor(org.id, user_id), "organization.bootstrap", "organization", org.id,
                      boost::json::object{{"slug", org.slug}, {"token_id", token.id}}, "", "scenarioctl");
    tx.commit();
    fmt::print(stderr, "organization '{}' (slug {}) created with owner {}; the token is shown once:\n", org.name,
               org.slug, opts.email);
    fmt::print("{}\n", token.token);
    return 0;
}

int create_token(const admin_options& opts) {
    auto r = host::parse_role(opts.role);
    if (!r) {
        fmt::print(stderr, "scenarioctl admin token create: unknown role '{}' (owner, admin, member, viewer)\n", opts.role);
        return 2;
    }
    auto db = host::open_database(opts.common.data_dir);
    pqxx::connection conn(db.conninfo);
    pqxx::work tx(conn);
    auto org = host::find_organization(tx, opts.org);
    if (!org) {
        fmt::print(stderr, "scenarioctl admin token create: no organization '{}'\n", opts.org);
        return 1;
    }
    auto user = host::find_user_by_email(tx, opts.email);
    std::string user_id = user ? *user : host::create_user(tx, opts.email, opts.name);
    auto current = host::member_role(tx, org->id, user_id);
    if (!current) {
        host::add_member(tx, org->id, user_id, *r);
    } else if (*current != *r) {
        fmt::print(stderr, "scenarioctl admin token create: {} is already {} in '{}'; the role is not changed here\n",
                   opts.email, host::to_string(*current), org->slug);
        return 1;
    }
    auto token = host::create_api_token(tx, org->id, user_id, opts.name.empty() ? "cli" : opts.name);
    host::write_audit(tx, audit_actor(org->id, user_id), "api_token.create", "api_token", token.id,
                      boost::json::object{{"role", host::to_string(*r)}}, "", "scenarioctl");
    tx.commit();
    fmt::print(stderr, "token {} for {} ({}) in '{}'; shown once:\n", token.prefix, opts.email, host::to_string(*r),
               org->slug);
    fmt::print("{}\n", token.token);
    return 0;
}

int admin_command(const std::vector<std::string>& args) {
    bool is_bootstrap = args.size() >= 2 && args[1] == "bootstrap";
    bool is_token = args.size() >= 3 && args[1] == "token" && args[2] == "create";
    if (!is_bootstrap && !is_token) {
        fmt::print(stderr, "scenarioctl admin: expected 'bootstrap' or 'token create'\n");
        return 2;
    }
    admin_options opts;
    if (auto err = parse(args, is_bootstrap ? 2 : 3, opts)) {
        fmt::print(stderr, "scenarioctl admin: {}\n", *err);
        return 2;
    }
    try {
        return is_bootstrap ? bootstrap(opts) : create_token(opts);
    } catch (const host::store_error& e) {
        fmt::print(stderr, "scenarioctl admin: {} ({})\n", e.what(), e.code);
        return 1;
    } catch (const std::exception& e) {
        fmt::print(stderr, "scenarioctl admin: {}\n", e.what());
        return 1;
    }
}

const command_registration admin_registration{
    "admin", admin_command,
    "admin bootstrap --org NAME --email E [--name N] [--data-dir DIR]   first organization, owner and token\n"
    "admin token create --org SLUG --email E [--role owner|admin|member|viewer] [--name N] [--data-dir DIR]"};

} // namespace

} // namespace sr::ctl
