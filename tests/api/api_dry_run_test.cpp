// POST /api/v1/scenarios/{scenario}/dry-run over a real server, database and the bundled
// plugins: side-effect actions are previewed (a local server proves no request was made),
// side-effect-free ones really run, the report shows the path through an if, nothing is
// stored, and bad requests get problems.
#include <atomic>

#include <catch2/catch.hpp>

#include "full_api_server.hpp"
#include "fake_wordpress.hpp"

using namespace sr::test;
using sr::host::role;
namespace json = boost::json;

namespace {

json::object handle_edge(const std::string& from, const std::string& to, const std::string& handle) {
    auto e = edge(from, to);
    e["id"] = from + "-" + handle + "-" + to;
    e["sourceHandle"] = handle;
    return e;
}

// trigger -> double (transform: total = amount * 2) -> if total > 100
//   true:  call (system.http_request to `url`, a side effect)
//   false: low (transform)
json::object branching_graph(const std::string& url) {
    return {{"nodes", json::array{node("trigger", "system.webhook"),
                                  node("double", "system.transform", {{"output", {{"total", "{{trigger.body.amount * 2}}"}}}}),
                                  node("if", "router.if", {{"condition", "{{double.output.total > 100}}"}}),
                                  node("call", "system.http_request", {{"method", "POST"}, {"url", url}}),
                                  node("low", "system.transform", {{"output", {{"small", true}}}})}},
            {"edges", json::array{edge("trigger", "double"), edge("double", "if"), handle_edge("if", "call", "true"),
                                  handle_edge("if", "low", "false")}}};
}

const json::object& node_of(const api_answer& a, const std::string& id) {
    for (const auto& n : a.body.at("nodes").as_array())
        if (n.at("node_id") == json::value(id)) return n.as_object();
    FAIL("no node " << id << " in " << a.raw.body);
    return a.body.at("nodes").as_array().front().as_object();
}

std::string dry_run_path(const std::string& scenario) {
    return "/api/v1/scenarios/" + scenario + "/dry-run";
}

struct counting_server {
    std::atomic<int> requests{0};
    scripted_server server{[this](server_connection& c) {
        if (!c.read_request()) return;
        ++requests;
        c.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
    }};
    std::string url() const { return "http://127.0.0.1:" + std::to_string(server.port()) + "/hook"; }
};

} // namespace

TEST_CASE("a dry-run previews side-effect actions, really runs the others and reports the path through an if") {
    api_server s;
    full_api_server api(s);
    counting_server target;
    const auto& member = s.a.token.at(role::member);
    auto id = api.scenario(member, branching_graph(target.url()));

    auto r = api.call_json("POST", dry_run_path(id), member, json::object{{"trigger", {{"body", {{"amount", 70}}}}}});
    INFO(r.raw.body);
    REQUIRE(r.status == 200);
    CHECK(r.body.at("dry_run") == true);
    CHECK(r.body.at("status") == "succeeded");
    CHECK(r.body.at("timed_out") == false);
    CHECK(target.requests == 0); // the side effect was not performed

    const auto& doubled = node_of(r, "double");
    CHECK(doubled.at("status") == "succeeded");
    CHECK(doubled.at("output").at("total").to_number<double>() == Approx(140.0)); // really ran
    CHECK_FALSE(doubled.contains("preview"));
    const auto& call = node_of(r, "call");
    CHECK(call.at("status") == "succeeded");
    CHECK(call.at("preview") == true);
    CHECK(call.at("output").at("body").at("status") == "created"); // the manifest's sample output
    CHECK(call.at("input").at("url") == json::value(target.url())); // what it would have sent
    CHECK(node_of(r, "low").at("status") == "skipped");
    CHECK(r.body.at("path") == json::value(json::array{"trigger", "double", "if", "call"}));
    CHECK(documented_statuses("post", "/api/v1/scenarios/{scenario}/dry-run").count(200));
}

TEST_CASE("a dry-run follows the other branch when the data says so") {
    api_server s;
    full_api_server api(s);
    counting_server target;
    const auto& owner = s.a.token.at(role::owner);
    auto id = api.scenario(owner, branching_graph(target.url()));
    auto r = api.call_json("POST", dry_run_path(id), owner, json::object{{"trigger", {{"body", {{"amount", 10}}}}}});
    INFO(r.raw.body);
    REQUIRE(r.status == 200);
    CHECK(r.body.at("path") == json::value(json::array{"trigger", "double", "if", "low"}));
    CHECK(node_of(r, "call").at("status") == "skipped");
    CHECK(node_of(r, "low").at("output").at("small") == true);
}

TEST_CASE("a dry-run writes no run, no node run and no audit row") {
    api_server s;
    full_api_server api(s);
    counting_server target;
    const auto& member = s.a.token.at(role::member);
    auto id = api.scenario(member, branching_graph(target.url()), true);
    auto audit_before = count_rows(s.conninfo(), "audit_logs");
    auto r = api.call_json("POST", dry_run_path(id), member, json::object{{"trigger", {{"body", {{"amount", 70}}}}}});
    REQUIRE(r.status == 200);
    CHECK(count_rows(s.conninfo(), "runs") == 0);
    CHECK(count_rows(s.conninfo(), "node_runs") == 0);
    CHECK(count_rows(s.conninfo(), "audit_logs") == audit_before);
}

TEST_CASE("a dry-run without trigger data uses the trigger's sample output") {
    api_server s;
    full_api_server api(s);
    const auto& member = s.a.token.at(role::member);
    auto id = api.scenario(member, valid_graph());
    auto r = api.call("POST", dry_run_path(id), member);
    INFO(r.raw.body);
    REQUIRE(r.status == 200);
    CHECK(r.body.at("status") == "succeeded");
    CHECK(node_of(r, "trigger").at("output").is_object());
    CHECK(r.body.at("version").is_null());
}

TEST_CASE("a dry-run of a version runs that version, not the draft") {
    api_server s;
    full_api_server api(s);
    const auto& member = s.a.token.at(role::member);
    auto graph = valid_graph();
    auto id = api.scenario(member, graph, true); // version 1: transform outputs {"x": ...}
    auto& transform = graph.at("nodes").as_array()[1].as_object();
    transform["data"].as_object()["settings"] = json::object{{"output", {{"y", "draft"}}}};
    REQUIRE(api.call_json("PUT", "/api/v1/scenarios/" + id + "/graph", member, graph).status == 200);

    auto draft = api.call_json("POST", dry_run_path(id), member, json::object{{"trigger", {{"body", {{"x", 1}}}}}});
    REQUIRE(draft.status == 200);
    CHECK(node_of(draft, "transform").at("output").at("y") == "draft");
    auto v1 = api.call_json("POST", dry_run_path(id), member,
                            json::object{{"trigger", {{"body", {{"x", 1}}}}}, {"version", 1}});
    INFO(v1.raw.body);
    REQUIRE(v1.status == 200);
    CHECK(node_of(v1, "transform").at("output").at("x") == 1);
    CHECK(v1.body.at("version") == 1);
    CHECK(api.call_json("POST", dry_run_path(id), member, json::object{{"version", 7}}).status == 404);
}

TEST_CASE("a dry-run of a graph with problems answers 422 naming the nodes, like publish") {
    api_server s;
    full_api_server api(s);
    const auto& member = s.a.token.at(role::member);
    json::object graph{{"nodes", json::array{node("trigger", "system.webhook"), node("ghost", "system.no_such_action")}},
                       {"edges", json::array{edge("trigger", "ghost")}}};
    auto id = api.scenario(member, graph);
    auto r = api.call("POST", dry_run_path(id), member);
    INFO(r.raw.body);
    REQUIRE(r.status == 422);
    CHECK(r.body.at("code") == "validation_failed");
    bool names_ghost = false;
    for (const auto& p : r.body.at("problems").as_array())
        if (const auto* n = p.as_object().if_contains("node_id"); n && *n == "ghost") names_ghost = true;
    CHECK(names_ghost);
    auto published = api.call("POST", "/api/v1/scenarios/" + id + "/publish", member);
    CHECK(published.status == 422);
    CHECK(published.body.at("problems") == r.body.at("problems")); // the same shape and content
    CHECK(documented_statuses("post", "/api/v1/scenarios/{scenario}/dry-run").count(422));
}

TEST_CASE("a dry-run of an unknown or another organization's scenario is not found") {
    api_server s;
    full_api_server api(s);
    auto id_b = api.scenario(s.b.token.at(role::owner), valid_graph());
    const auto& owner_a = s.a.token.at(role::owner);
    CHECK(api.call("POST", dry_run_path(id_b), owner_a).status == 404);
    CHECK(api.call("POST", dry_run_path("00000000-0000-0000-0000-000000000000"), owner_a).status == 404);
    CHECK(api.call("POST", dry_run_path("not-a-uuid"), owner_a).status == 404);
}

TEST_CASE("a viewer may not dry-run but a member may") {
    api_server s;
    full_api_server api(s);
    auto id = api.scenario(s.a.token.at(role::owner), valid_graph());
    auto viewer = api.call("POST", dry_run_path(id), s.a.token.at(role::viewer));
    CHECK(viewer.status == 403);
    CHECK(viewer.body.at("code") == "forbidden");
    CHECK(api.call("POST", dry_run_path(id), s.a.token.at(role::member)).status == 200);
    CHECK(api.call("POST", dry_run_path(id), "").status == 401);
}

TEST_CASE("a dry-run refuses malformed JSON, unknown fields and out-of-range values") {
    api_server s;
    full_api_server api(s);
    const auto& member = s.a.token.at(role::member);
    auto id = api.scenario(member, valid_graph());
    auto malformed = api.call("POST", dry_run_path(id), member, "{\"trigger\": ");
    CHECK(malformed.status == 400);
    CHECK(malformed.body.at("code") == "malformed_json");
    CHECK(api.call("POST", dry_run_path(id), member, "[1]").status == 400);
    CHECK(api.call_json("POST", dry_run_path(id), member, json::object{{"bogus", 1}}).status == 400);
    CHECK(api.call_json("POST", dry_run_path(id), member, json::object{{"version", "one"}}).status == 400);
    CHECK(api.call_json("POST", dry_run_path(id), member, json::object{{"version", 0}}).status == 400);
    CHECK(api.call_json("POST", dry_run_path(id), member, json::object{{"timeout_ms", 0}}).status == 400);
    CHECK(api.call_json("POST", dry_run_path(id), member, json::object{{"timeout_ms", 600000}}).status == 400);
}

TEST_CASE("a dry-run really runs a side-effect-free action with the connection's credentials") {
    api_server s;
    full_api_server api(s);
    fake_wordpress wp;
    wp.add_category("Recipes");
    const auto& member = s.a.token.at(role::member);
    auto connection = api.connect(s.a.org_id, "wordpress", "app_password", wp.app_connection());
    auto list = node("list", "wordpress.list_categories");
    list["data"].as_object()["connection_id"] = connection;
    auto create = node("create", "wordpress.create_post", {{"title", "From a dry-run"}, {"content", "Never posted"}});
    create["data"].as_object()["connection_id"] = connection;
    json::object graph{{"nodes", json::array{node("trigger", "system.webhook"), list, create}},
                       {"edges", json::array{edge("trigger", "list"), edge("list", "create")}}};
    auto id = api.scenario(member, graph);
    auto r = api.call("POST", dry_run_path(id), member);
    INFO(r.raw.body);
    REQUIRE(r.status == 200);
    CHECK(node_of(r, "list").at("status") == "succeeded");
    CHECK_FALSE(node_of(r, "list").contains("preview"));
    CHECK(json::serialize(node_of(r, "list").at("output")).find("Recipes") != std::string::npos);
    CHECK(node_of(r, "create").at("preview") == true);
    for (const auto& req : wp.requests()) CHECK(req.method == "GET"); // no post was created
    CHECK(r.raw.body.find(fake_wordpress::app_password) == std::string::npos);
}

TEST_CASE("a dry-run that outlasts its timeout is cancelled and answered as timed out") {
    api_server s;
    full_api_server api(s);
    fake_wordpress wp;
    wp.stall_next();
    const auto& member = s.a.token.at(role::member);
    auto connection = api.connect(s.a.org_id, "wordpress", "app_password", wp.app_connection());
    auto list = node("list", "wordpress.list_categories");
    list["data"].as_object()["connection_id"] = connection;
    json::object graph{{"nodes", json::array{node("trigger", "system.webhook"), list}},
                       {"edges", json::array{edge("trigger", "list")}}};
    auto id = api.scenario(member, graph);
    auto started = std::chrono::steady_clock::now();
    auto r = api.call_json("POST", dry_run_path(id), member, json::object{{"timeout_ms", 300}});
    auto took = std::chrono::steady_clock::now() - started;
    INFO(r.raw.body);
    CHECK(took < std::chrono::seconds(3));
    // The stalled call is cancelled with the run, so its report comes back well within the grace.
    REQUIRE(r.status == 200);
    CHECK(r.body.at("timed_out") == true);
    CHECK(r.body.at("status") == "cancelled");
    CHECK(took >= std::chrono::milliseconds(300));
    CHECK(documented_statuses("post", "/api/v1/scenarios/{scenario}/dry-run").count(504));
}
