// A scenario's webhook endpoints through /api/v1 over a real server and database: listing
// without secrets, revealing the secret (owner and admin only, audited without it), and
// rotating it, after which POST /webhooks/{endpoint} refuses the old secret's signature and
// accepts the new one's.
#include <ctime>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "full_api_server.hpp"
#include "security/webhook_signature.hpp"

using namespace sr::test;
using sr::host::role;
namespace json = boost::json;

namespace {

struct published_hook {
    std::string scenario, endpoint_id, url;
};

published_hook publish_hook(full_api_server& api, const std::string& token) {
    published_hook out;
    out.scenario = api.scenario(token, valid_graph(), true);
    auto list = api.call("GET", "/api/v1/scenarios/" + out.scenario + "/webhooks", token);
    REQUIRE(list.status == 200);
    REQUIRE(list.body.at("webhooks").as_array().size() == 1);
    const auto& hook = list.body.at("webhooks").as_array()[0];
    out.endpoint_id = std::string(hook.at("id").as_string());
    out.url = std::string(hook.at("url").as_string());
    return out;
}

std::string secret_path(const published_hook& h, const std::string& action = "secret") {
    return "/api/v1/scenarios/" + h.scenario + "/webhooks/" + h.endpoint_id + "/" + action;
}

int deliver(full_api_server& api, const std::string& url, const std::string& secret) {
    std::string body = R"({"order": 42})";
    auto signature = sr::host::sign_hmac_sha256(secret, static_cast<std::int64_t>(std::time(nullptr)), body);
    return api
        .call("POST", url, "", body,
              "X-Timestamp: " + signature.timestamp + "\r\nX-Signature: " + signature.signature + "\r\n")
        .status;
}

std::string audit_details(const std::string& conninfo) {
    pqxx::connection conn(conninfo);
    pqxx::work tx(conn);
    std::string all;
    for (const auto& r : tx.exec("SELECT details::text FROM audit_logs")) all += std::string(r[0].c_str()) + "\n";
    return all;
}

} // namespace

TEST_CASE("a scenario's webhook endpoints are listed with URL, node, verification and mode, and no secret") {
    api_server s;
    full_api_server api(s);
    auto h = publish_hook(api, s.a.token.at(role::owner));
    auto list = api.call("GET", "/api/v1/scenarios/" + h.scenario + "/webhooks", s.a.token.at(role::viewer));
    INFO(list.raw.body);
    REQUIRE(list.status == 200);
    const auto& hook = list.body.at("webhooks").as_array().at(0).as_object();
    CHECK(hook.at("node_id") == "trigger");
    CHECK(hook.at("url").as_string().starts_with("/webhooks/"));
    CHECK(hook.at("url") == json::value("/webhooks/" + std::string(hook.at("public_id").as_string())));
    CHECK(hook.at("verification") == "hmac_sha256");
    CHECK(hook.at("response_mode") == "async");
    CHECK(hook.at("is_active") == true);
    CHECK(hook.at("created_at").is_string());
    CHECK_FALSE(hook.contains("secret"));
    CHECK(list.raw.body.find("whsec_") == std::string::npos);
    auto secret = api.call("POST", secret_path(h), s.a.token.at(role::owner));
    REQUIRE(secret.status == 200);
    CHECK(list.raw.body.find(std::string(secret.body.at("secret").as_string())) == std::string::npos);
    CHECK(documented_statuses("get", "/api/v1/scenarios/{scenario}/webhooks").count(200));
}

TEST_CASE("an admin or owner reveals a webhook secret with an audit row that does not hold it") {
    api_server s;
    full_api_server api(s);
    auto h = publish_hook(api, s.a.token.at(role::owner));
    auto admin = api.call("POST", secret_path(h), s.a.token.at(role::admin));
    INFO(admin.raw.body);
    REQUIRE(admin.status == 200);
    std::string secret(admin.body.at("secret").as_string());
    CHECK(secret.starts_with("whsec_"));
    REQUIRE(admin.header("cache-control"));
    CHECK(*admin.header("cache-control") == "no-store");
    CHECK(deliver(api, h.url, secret) == 202); // it is the secret deliveries are checked with
    auto owner = api.call("POST", secret_path(h), s.a.token.at(role::owner));
    REQUIRE(owner.status == 200);
    CHECK(owner.body.at("secret") == json::value(secret));
    CHECK(count_audit(s.conninfo(), "webhook.secret.reveal") == 2);
    CHECK(audit_details(s.conninfo()).find(secret) == std::string::npos);
    CHECK(documented_statuses("post", "/api/v1/scenarios/{scenario}/webhooks/{endpoint}/secret").count(200));
}

TEST_CASE("members and viewers may not reveal or rotate a webhook secret") {
    api_server s;
    full_api_server api(s);
    auto h = publish_hook(api, s.a.token.at(role::owner));
    for (auto r : {role::member, role::viewer}) {
        INFO(sr::host::to_string(r));
        auto reveal = api.call("POST", secret_path(h), s.a.token.at(r));
        CHECK(reveal.status == 403);
        CHECK(reveal.raw.body.find("whsec_") == std::string::npos);
        CHECK(api.call("POST", secret_path(h, "rotate-secret"), s.a.token.at(r)).status == 403);
    }
    CHECK(count_audit(s.conninfo(), "webhook.secret.reveal") == 0);
    CHECK(count_audit(s.conninfo(), "webhook.secret.rotate") == 0);
}

TEST_CASE("rotating a webhook secret makes the old signature fail and the new one pass") {
    api_server s;
    full_api_server api(s);
    auto h = publish_hook(api, s.a.token.at(role::owner));
    std::string old_secret(api.call("POST", secret_path(h), s.a.token.at(role::admin)).body.at("secret").as_string());
    REQUIRE(deliver(api, h.url, old_secret) == 202);

    auto rotated = api.call("POST", secret_path(h, "rotate-secret"), s.a.token.at(role::admin));
    INFO(rotated.raw.body);
    REQUIRE(rotated.status == 200);
    std::string new_secret(rotated.body.at("secret").as_string());
    CHECK(new_secret.starts_with("whsec_"));
    CHECK(new_secret != old_secret);
    CHECK(deliver(api, h.url, old_secret) == 401);
    CHECK(deliver(api, h.url, new_secret) == 202);
    auto revealed = api.call("POST", secret_path(h), s.a.token.at(role::owner));
    CHECK(revealed.body.at("secret") == json::value(new_secret));
    CHECK(count_audit(s.conninfo(), "webhook.secret.rotate") == 1);
    auto audit = audit_details(s.conninfo());
    CHECK(audit.find(new_secret) == std::string::npos);
    CHECK(audit.find(old_secret) == std::string::npos);
    CHECK(documented_statuses("post", "/api/v1/scenarios/{scenario}/webhooks/{endpoint}/rotate-secret").count(200));
}

TEST_CASE("an endpoint may be named by its public id as well as its id") {
    api_server s;
    full_api_server api(s);
    auto h = publish_hook(api, s.a.token.at(role::owner));
    auto by_public_id = h;
    by_public_id.endpoint_id = h.url.substr(std::string("/webhooks/").size());
    auto a = api.call("POST", secret_path(h), s.a.token.at(role::owner));
    auto b = api.call("POST", secret_path(by_public_id), s.a.token.at(role::owner));
    REQUIRE(a.status == 200);
    REQUIRE(b.status == 200);
    CHECK(a.body.at("secret") == b.body.at("secret"));
}

TEST_CASE("another organization's scenario or endpoint is not found, nor is an unknown endpoint") {
    api_server s;
    full_api_server api(s);
    auto h = publish_hook(api, s.a.token.at(role::owner));
    const auto& owner_b = s.b.token.at(role::owner);
    CHECK(api.call("GET", "/api/v1/scenarios/" + h.scenario + "/webhooks", owner_b).status == 404);
    auto foreign = api.call("POST", secret_path(h), owner_b);
    CHECK(foreign.status == 404);
    CHECK(foreign.raw.body.find("whsec_") == std::string::npos);
    CHECK(api.call("POST", secret_path(h, "rotate-secret"), owner_b).status == 404);
    auto unknown = h;
    unknown.endpoint_id = "00000000-0000-0000-0000-000000000000";
    CHECK(api.call("POST", secret_path(unknown), s.a.token.at(role::owner)).status == 404);
    CHECK(api.call("GET", "/api/v1/scenarios/not-a-uuid/webhooks", s.a.token.at(role::owner)).status == 404);
    CHECK(count_audit(s.conninfo(), "webhook.secret.rotate") == 0);
}
