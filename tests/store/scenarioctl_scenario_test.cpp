// scenarioctl scenario / runs list as real processes against a test database.
#include <fstream>
#include <map>

#include <catch2/catch.hpp>

#include "process.hpp"
#include "store/store.hpp"
#include "store_fixture.hpp"
#include "test_paths.hpp"

using namespace sr::test;
namespace json = boost::json;

namespace {

run_result ctl(const std::string& db, std::vector<std::string> args) {
    return run_to_end(bin_dir() / "scenarioctl", args, {{"SR_DATABASE_URL", db}}, std::chrono::seconds(60));
}

std::string write_file(const std::string& name, const std::string& text) {
    static auto dir = temp_dir("store-ctl");
    auto path = dir / name;
    std::ofstream(path) << text;
    return path.string();
}

// The last line of the output parsed as JSON (the command prints one JSON document).
json::value json_of(const run_result& r) {
    auto text = r.output;
    while (!text.empty() && text.back() == '\n') text.pop_back();
    auto nl = text.rfind('\n');
    return json::parse(nl == std::string::npos ? text : text.substr(nl + 1));
}

} // namespace

TEST_CASE("scenarioctl scenario create, draft, publish, versions and rollback work end to end") {
    store_db s;
    s.create_org("acme");
    auto v1_file = write_file("v1.json", json::serialize(two_node_graph("v1")));
    auto v2_file = write_file("v2.json", json::serialize(two_node_graph("v2")));

    auto created = ctl(s.db.conninfo(), {"scenario", "create", "--org", "acme", "--name", "Orders", "--file", v1_file});
    INFO(created.output);
    REQUIRE(created.exit_code == 0);
    auto scenario = json_of(created);
    std::string id(scenario.at("id").as_string());
    CHECK(scenario.at("draft_revision") == 1);
    CHECK(scenario.at("status") == "draft");

    auto published = ctl(s.db.conninfo(), {"scenario", "publish", id, "--summary", "first", "--plugins", plugin_dir().string()});
    INFO(published.output);
    REQUIRE(published.exit_code == 0);
    CHECK(json_of(published).at("number") == 1);

    auto drafted = ctl(s.db.conninfo(), {"scenario", "draft", id, "--file", v2_file, "--revision", "1"});
    INFO(drafted.output);
    REQUIRE(drafted.exit_code == 0);
    CHECK(json_of(drafted).at("draft_revision") == 2);
    auto stale = ctl(s.db.conninfo(), {"scenario", "draft", id, "--file", v2_file, "--revision", "1"});
    CHECK(stale.exit_code == 1);
    CHECK(json_of(stale).at("error") == "conflict");

    REQUIRE(ctl(s.db.conninfo(), {"scenario", "publish", id, "--plugins", plugin_dir().string()}).exit_code == 0);
    auto versions = ctl(s.db.conninfo(), {"scenario", "versions", id});
    INFO(versions.output);
    REQUIRE(versions.exit_code == 0);
    auto list = json_of(versions).as_array();
    REQUIRE(list.size() == 2);
    CHECK(list[0].at("number") == 2);
    CHECK(list[0].at("current") == true);
    CHECK(list[1].at("change_summary") == "first");

    auto rolled = ctl(s.db.conninfo(), {"scenario", "rollback", id, "--version", "1"});
    INFO(rolled.output);
    REQUIRE(rolled.exit_code == 0);
    auto after = json_of(ctl(s.db.conninfo(), {"scenario", "versions", id})).as_array();
    CHECK(after[1].at("current") == true);
    CHECK(after[0].at("current") == false);
}

TEST_CASE("scenarioctl scenario publish and rollback bring the current version's triggers with them") {
    store_db s;
    s.create_org("acme");
    auto graph_with = [](const std::string& type, json::object settings) {
        return json::object{{"nodes", json::array{graph_node("start", type, std::move(settings)),
                                                  graph_node("log", "system.log", {{"message", "hi"}})}},
                            {"edges", json::array{graph_edge("start", "log")}}};
    };
    auto hook_file = write_file("hook.json", json::serialize(graph_with("system.webhook", {})));
    auto cron_file = write_file("cron.json", json::serialize(graph_with("system.schedule", {{"cron", "0 9 * * *"}})));
    // A fixed key: the webhook secret is sealed as scenariod would seal it, and no key file is
    // left in the working directory.
    std::map<std::string, std::string> env{{"SR_DATABASE_URL", s.db.conninfo()},
                                           {"SR_MASTER_KEY", std::string(64, 'a')}};
    auto run = [&](std::vector<std::string> args) {
        return run_to_end(bin_dir() / "scenarioctl", args, env, std::chrono::seconds(60));
    };
    auto created = run({"scenario", "create", "--org", "acme", "--name", "Hooks", "--file", hook_file});
    REQUIRE(created.exit_code == 0);
    std::string id(json_of(created).at("id").as_string());
    const std::string active_hooks = "SELECT count(*) FROM webhook_endpoints WHERE is_active AND scenario_id = '" + id + "'";
    const std::string active_crons = "SELECT count(*) FROM schedules WHERE is_active AND scenario_id = '" + id + "'";

    auto published = run({"scenario", "publish", id, "--plugins", plugin_dir().string()});
    INFO(published.output);
    REQUIRE(published.exit_code == 0);
    auto hooks = json_of(published).at("webhooks").as_array();
    REQUIRE(hooks.size() == 1);
    CHECK(hooks[0].at("node_id") == "start");
    CHECK(hooks[0].at("url").as_string().starts_with("/webhooks/"));
    CHECK(s.count(active_hooks) == 1);
    CHECK(s.count("SELECT count(*) FROM webhook_endpoints WHERE secret IS NOT NULL") == 1);

    // Version 2 starts on a schedule: the endpoint is deactivated, the schedule row appears.
    REQUIRE(run({"scenario", "draft", id, "--file", cron_file}).exit_code == 0);
    auto second = run({"scenario", "publish", id, "--plugins", plugin_dir().string()});
    INFO(second.output);
    REQUIRE(second.exit_code == 0);
    CHECK(json_of(second).at("webhooks").as_array().empty());
    CHECK(s.count(active_hooks) == 0);
    CHECK(s.count(active_crons) == 1);

    // Back to version 1: the same endpoint (same URL) is active again, the schedule is not.
    auto rolled = run({"scenario", "rollback", id, "--version", "1"});
    INFO(rolled.output);
    REQUIRE(rolled.exit_code == 0);
    auto again = json_of(rolled).at("webhooks").as_array();
    REQUIRE(again.size() == 1);
    CHECK(again[0].at("url") == hooks[0].at("url"));
    CHECK(s.count(active_hooks) == 1);
    CHECK(s.count(active_crons) == 0);
}

TEST_CASE("scenarioctl scenario publish refuses an invalid draft and prints its problems") {
    store_db s;
    s.create_org("acme");
    auto graph = two_node_graph();
    graph.at("nodes").as_array()[1].as_object()["type"] = "system.no_such_action";
    auto file = write_file("bad.json", json::serialize(graph));
    auto created = ctl(s.db.conninfo(), {"scenario", "create", "--org", "acme", "--name", "Bad", "--file", file});
    REQUIRE(created.exit_code == 0);
    std::string id(json_of(created).at("id").as_string());
    auto r = ctl(s.db.conninfo(), {"scenario", "publish", id, "--plugins", plugin_dir().string()});
    INFO(r.output);
    CHECK(r.exit_code == 1);
    auto out = json_of(r);
    CHECK(out.at("error") == "validation_failed");
    CHECK(out.at("details").at(0).at("node_id") == "log");
    CHECK(s.count("SELECT count(*) FROM scenario_versions") == 0);
}

TEST_CASE("scenarioctl scenario reports bad input without touching the database") {
    store_db s;
    s.create_org("acme");
    auto not_json = write_file("broken.json", "{\"nodes\": [");
    auto array = write_file("array.json", "[1, 2]");
    auto r = ctl(s.db.conninfo(), {"scenario", "create", "--org", "nobody", "--name", "x"});
    CHECK(r.exit_code == 1);
    CHECK(json_of(r).at("error") == "not_found");
    r = ctl(s.db.conninfo(), {"scenario", "create", "--org", "acme", "--name", "x", "--file", not_json});
    CHECK(r.exit_code == 1);
    CHECK(json_of(r).at("error") == "invalid_input");
    r = ctl(s.db.conninfo(), {"scenario", "create", "--org", "acme", "--name", "x", "--file", array});
    CHECK(r.exit_code == 1);
    CHECK(json_of(r).at("error") == "invalid_input");
    CHECK(s.count("SELECT count(*) FROM scenarios") == 0);
    CHECK(ctl(s.db.conninfo(), {"scenario", "publish", "not-a-uuid"}).exit_code == 1);
    CHECK(ctl(s.db.conninfo(), {"scenario", "create", "--org", "acme"}).exit_code == 2);
    CHECK(ctl(s.db.conninfo(), {"scenario", "rollback", "x", "--version", "one"}).exit_code == 2);
    CHECK(ctl(s.db.conninfo(), {"scenario", "explode"}).exit_code == 2);
    CHECK(ctl(s.db.conninfo(), {"runs", "list"}).exit_code == 2);
}

TEST_CASE("scenarioctl runs list prints a scenario's runs newest first as JSON") {
    store_db s;
    auto org = s.create_org("acme");
    auto id = s.published_scenario(org, two_node_graph());
    {
        pqxx::work tx(s.conn);
        auto version = sr::host::find_scenario(tx, org, id)->current_version_id;
        insert_run(tx, id, version, "succeeded", "now() - interval '2 minutes'");
        insert_run(tx, id, version, "failed", "now() - interval '1 minute'");
        tx.commit();
    }
    auto r = ctl(s.db.conninfo(), {"runs", "list", "--scenario", id});
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    auto runs = json_of(r).at("runs").as_array();
    REQUIRE(runs.size() == 2);
    CHECK(runs[0].at("status") == "failed");
    CHECK(json_of(r).at("next_cursor").is_null());
    auto failed = ctl(s.db.conninfo(), {"runs", "list", "--org", "acme", "--status", "failed"});
    REQUIRE(failed.exit_code == 0);
    CHECK(json_of(failed).at("runs").as_array().size() == 1);
    auto bad = ctl(s.db.conninfo(), {"runs", "list", "--org", "acme", "--status", "exploded"});
    CHECK(bad.exit_code == 1);
    CHECK(json_of(bad).at("error") == "invalid_input");
}
