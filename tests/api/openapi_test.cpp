// docs/openapi.json describes exactly the routes add_api_routes registers, and answers of real
// calls carry status codes the document lists for their operation.
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "api/api_routes.hpp"
#include "api_fixture.hpp"
#include "test_paths.hpp"

using namespace sr::test;
using sr::host::role;
namespace json = boost::json;

namespace {

json::object load_openapi() {
    std::ifstream in(source_dir() / "docs" / "openapi.json");
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str()).as_object();
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::set<std::pair<std::string, std::string>> documented(const json::object& doc) {
    std::set<std::pair<std::string, std::string>> out;
    static const std::set<std::string> methods{"get", "put", "post", "delete", "patch", "head", "options"};
    for (const auto& [path, item] : doc.at("paths").as_object())
        for (const auto& [method, operation] : item.as_object())
            if (methods.count(std::string(method))) out.emplace(lower(std::string(method)), std::string(path));
    return out;
}

std::set<std::pair<std::string, std::string>> registered() {
    sr::host::db_pool pool("host=/nonexistent", 1); // never used: no request is made
    sr::core::engine::action_catalog catalog;
    sr::host::api_context ctx{pool, catalog, 1024, {}, {}};
    sr::host::router routes;
    sr::host::add_api_routes(routes, ctx);
    std::set<std::pair<std::string, std::string>> out;
    for (const auto& r : routes.routes()) out.emplace(lower(r.method), r.pattern);
    return out;
}

// Every "$ref" in `v` names something under #/components.
void check_refs(const json::object& doc, const json::value& v) {
    if (v.is_object()) {
        for (const auto& [k, child] : v.as_object()) {
            if (k == "$ref") {
                std::string ref(child.as_string());
                REQUIRE(ref.rfind("#/components/", 0) == 0);
                auto rest = ref.substr(13);
                auto slash = rest.find('/');
                INFO(ref);
                CHECK(doc.at("components").at(rest.substr(0, slash)).as_object().contains(rest.substr(slash + 1)));
            } else {
                check_refs(doc, child);
            }
        }
    } else if (v.is_array()) {
        for (const auto& child : v.as_array()) check_refs(doc, child);
    }
}

std::set<int> documented_statuses(const json::object& doc, const std::string& method, const std::string& path) {
    std::set<int> out;
    for (const auto& [code, r] : doc.at("paths").at(path).at(lower(method)).at("responses").as_object())
        out.insert(std::stoi(std::string(code)));
    return out;
}

} // namespace

TEST_CASE("The OpenAPI document is OpenAPI 3.1 with a bearer security scheme") {
    auto doc = load_openapi();
    CHECK(doc.at("openapi").as_string().starts_with("3.1"));
    CHECK(doc.at("components").at("securitySchemes").at("bearer").at("scheme") == "bearer");
    check_refs(doc, doc);
}

TEST_CASE("Every route registered by add_api_routes is documented in docs/openapi.json") {
    auto doc = documented(load_openapi());
    for (const auto& route : registered()) {
        INFO(route.first << " " << route.second);
        CHECK(doc.count(route));
    }
}

TEST_CASE("Every route documented in docs/openapi.json is registered") {
    auto routes = registered();
    for (const auto& op : documented(load_openapi())) {
        INFO(op.first << " " << op.second);
        CHECK(routes.count(op));
    }
}

TEST_CASE("Every documented operation has a unique operationId and documents 401 and 403") {
    auto doc = load_openapi();
    std::set<std::string> ids;
    for (const auto& [path, item] : doc.at("paths").as_object())
        for (const auto& [method, operation] : item.as_object()) {
            INFO(method << " " << path);
            CHECK(ids.insert(std::string(operation.at("operationId").as_string())).second);
            CHECK(operation.at("responses").as_object().contains("401"));
            CHECK(operation.at("responses").as_object().contains("403"));
        }
}

TEST_CASE("Answers of real calls have status codes documented for their operation") {
    api_server s;
    auto doc = load_openapi();
    const auto& owner = s.a.token[role::owner];
    auto created = s.call_json("POST", "/api/v1/scenarios", owner, json::object{{"name", "doc"}});
    REQUIRE(created.status == 201);
    std::string id(created.body.at("id").as_string());
    std::string sc = "/api/v1/scenarios/" + id;
    struct probe {
        std::string method, pattern, target, token, body;
    };
    std::vector<probe> probes{
        {"POST", "/api/v1/scenarios", "/api/v1/scenarios", owner, "{\"name\": \"x\"}"},
        {"POST", "/api/v1/scenarios", "/api/v1/scenarios", owner, "{bad"},
        {"POST", "/api/v1/scenarios", "/api/v1/scenarios", "", "{}"},
        {"POST", "/api/v1/scenarios", "/api/v1/scenarios", s.a.token[role::viewer], "{\"name\": \"x\"}"},
        {"GET", "/api/v1/scenarios", "/api/v1/scenarios?limit=1", owner, ""},
        {"GET", "/api/v1/scenarios/{scenario}", sc, owner, ""},
        {"GET", "/api/v1/scenarios/{scenario}", "/api/v1/scenarios/00000000-0000-0000-0000-000000000000", owner, ""},
        {"PATCH", "/api/v1/scenarios/{scenario}", sc, owner, "{\"name\": \"y\"}"},
        {"GET", "/api/v1/scenarios/{scenario}/graph", sc + "/graph", owner, ""},
        {"PUT", "/api/v1/scenarios/{scenario}/graph", sc + "/graph", owner, json::serialize(valid_graph())},
        {"PUT", "/api/v1/scenarios/{scenario}/graph", sc + "/graph", owner,
         "{\"nodes\": [], \"edges\": [], \"revision\": 0}"},
        {"POST", "/api/v1/scenarios/{scenario}/publish", sc + "/publish", owner, ""},
        {"GET", "/api/v1/scenarios/{scenario}/versions", sc + "/versions", owner, ""},
        {"POST", "/api/v1/scenarios/{scenario}/rollback", sc + "/rollback", owner, "{\"version\": 9}"},
        {"GET", "/api/v1/integrations", "/api/v1/integrations", owner, ""},
        {"GET", "/api/v1/integrations/{integration}", "/api/v1/integrations/system", owner, ""},
        {"GET", "/api/v1/integrations/{integration}/versions", "/api/v1/integrations/none/versions", owner, ""},
        {"DELETE", "/api/v1/scenarios/{scenario}", sc, owner, ""},
    };
    std::set<int> seen;
    for (const auto& p : probes) {
        auto r = s.call(p.method, p.target, p.token, p.body);
        INFO(p.method << " " << p.target << " -> " << r.status << " " << r.raw.body);
        CHECK(documented_statuses(doc, p.method, p.pattern).count(r.status));
        seen.insert(r.status);
    }
    // The probes cover success and the main error classes, so the check above means something.
    for (int code : {200, 201, 204, 400, 401, 403, 404, 409}) {
        INFO(code);
        CHECK(seen.count(code));
    }
}
