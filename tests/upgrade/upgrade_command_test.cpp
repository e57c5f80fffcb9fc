// scenarioctl scenario upgrade as a real process against a real database, with the `mover`
// test integration loaded in two majors.
#include <catch2/catch.hpp>

#include "process.hpp"
#include "store/store.hpp"
#include "store_fixture.hpp"
#include "test_paths.hpp"
#include "upgrade_fixture.hpp"

using namespace sr::test;
namespace json = boost::json;

namespace {

run_result ctl(const std::string& db, std::vector<std::string> args) {
    return run_to_end(bin_dir() / "scenarioctl", args, {{"SR_DATABASE_URL", db}}, std::chrono::seconds(60));
}

// The last line of the output parsed as JSON (the command prints one JSON document on stdout
// after its notes on stderr).
json::value json_of(const run_result& r) {
    auto text = r.output;
    while (!text.empty() && text.back() == '\n') text.pop_back();
    auto nl = text.rfind('\n');
    return json::parse(nl == std::string::npos ? text : text.substr(nl + 1));
}

struct upgrade_db {
    store_db s;
    std::string org = s.create_org("acme");

    std::string scenario_with_draft(const json::value& graph) {
        pqxx::work tx(s.conn);
        auto row = sr::host::create_scenario(tx, org, "", "mail", "", nullptr);
        sr::host::save_draft(tx, org, row.id, graph, -1);
        tx.commit();
        return row.id;
    }

    sr::host::scenario_row row(const std::string& id) {
        pqxx::work tx(s.conn);
        return *sr::host::find_scenario(tx, org, id);
    }

    run_result upgrade(const std::string& id, std::vector<std::string> extra = {},
                       const std::filesystem::path& plugins = both_majors_dir()) {
        std::vector<std::string> args{"scenario", "upgrade", id, "--plugins", plugins.string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return ctl(s.db.conninfo(), args);
    }
};

json::value mail_graph(const std::string& recipient) {
    return chain({node("send", "mover.send", 1, {{"recipient", recipient}}), node("echo", "mover.echo", 1, {{"text", "hi"}})});
}

} // namespace

TEST_CASE("scenarioctl scenario upgrade saves the migrated draft and shows what changed per node") {
    upgrade_db u;
    auto id = u.scenario_with_draft(mail_graph("ops@example.com"));
    auto r = u.upgrade(id);
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    // For people: one line per node, then each change.
    CHECK(r.output.find("node send (mover.send): plugin 1.2.0 -> 2.0.0, settings migrated by the plugin") != std::string::npos);
    CHECK(r.output.find("removed settings.recipient: \"ops@example.com\" -> (none)") != std::string::npos);
    auto out = json_of(r);
    CHECK(out.at("saved") == true);
    CHECK(out.at("draft_revision") == 2);
    CHECK(out.at("source") == "draft");
    REQUIRE(out.at("nodes").as_array().size() == 3);
    const auto& send = out.at("nodes").at(1);
    CHECK(send.at("node_id") == "send");
    CHECK(send.at("migrated") == true);
    CHECK(send.at("changes").at(1) == json::value{{"path", "settings.to"}, {"change", "added"}, {"after", "ops@example.com"}});

    auto row = u.row(id);
    CHECK(row.draft_revision == 2);
    CHECK(find_node(row.draft_graph, "send")->at("version") == 2);
    CHECK(find_node(row.draft_graph, "send")->at("data").at("settings") ==
          json::value{{"to", "ops@example.com"}, {"format", "text"}});
    CHECK(find_node(row.draft_graph, "echo")->at("version") == 2);
}

TEST_CASE("scenarioctl scenario upgrade --dry-run shows the changes and saves nothing") {
    upgrade_db u;
    auto graph = mail_graph("ops@example.com");
    auto id = u.scenario_with_draft(graph);
    auto r = u.upgrade(id, {"--dry-run"});
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    auto out = json_of(r);
    CHECK(out.at("saved") == false);
    CHECK(out.at("dry_run") == true);
    CHECK(out.at("nodes").as_array().size() == 3);
    auto row = u.row(id);
    CHECK(row.draft_revision == 1);
    CHECK(row.draft_graph == graph);
}

TEST_CASE("scenarioctl scenario upgrade --publish makes the upgraded graph the current version") {
    upgrade_db u;
    auto id = u.scenario_with_draft(mail_graph("ops@example.com"));
    auto r = u.upgrade(id, {"--publish", "--summary", "to mover 2"});
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    CHECK(json_of(r).at("version") == 1);
    CHECK(u.s.count("SELECT count(*) FROM scenario_versions WHERE change_summary = 'to mover 2'") == 1);
    CHECK(u.s.count("SELECT count(*) FROM scenario_nodes WHERE plugin_major = 2") == 3);
    CHECK(u.s.count("SELECT count(*) FROM scenario_nodes WHERE plugin_major <> 2") == 0);
    CHECK(u.row(id).status == "active");
}

TEST_CASE("scenarioctl scenario upgrade refuses, saving nothing, when a node cannot be upgraded") {
    upgrade_db u;
    auto graph = mail_graph("explode");
    auto id = u.scenario_with_draft(graph);
    auto r = u.upgrade(id, {"--publish"});
    INFO(r.output);
    CHECK(r.exit_code == 1);
    auto out = json_of(r);
    CHECK(out.at("error") == "upgrade_failed");
    CHECK(out.at("saved") == false);
    REQUIRE(out.at("problems").as_array().size() == 1);
    CHECK(out.at("problems").at(0).at("code") == "migration_failed");
    CHECK(out.at("problems").at(0).at("node_id") == "send");
    CHECK(u.row(id).draft_graph == graph);
    CHECK(u.s.count("SELECT count(*) FROM scenario_versions") == 0);
}

TEST_CASE("scenarioctl scenario upgrade with nothing to upgrade changes nothing") {
    upgrade_db u;
    auto graph = chain({node("send", "mover.send", 2, {{"to", "a@b.c"}})}, 2);
    auto id = u.scenario_with_draft(graph);
    auto r = u.upgrade(id);
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    CHECK(json_of(r).at("nodes").as_array().empty());
    CHECK(json_of(r).at("saved") == false);
    CHECK(u.row(id).draft_revision == 1);
}

TEST_CASE("scenarioctl scenario upgrade reads the current version when the draft is empty") {
    upgrade_db u;
    json::value empty = json::object{{"nodes", json::array()}, {"edges", json::array()}};
    std::string id;
    {
        pqxx::work tx(u.s.conn);
        auto row = sr::host::create_scenario(tx, u.org, "", "published only", "", nullptr);
        sr::host::save_draft(tx, u.org, row.id, mail_graph("a@b.c"), -1);
        sr::host::publish_scenario(tx, u.org, row.id, "", "", nullptr);
        sr::host::save_draft(tx, u.org, row.id, empty, -1);
        tx.commit();
        id = row.id;
    }
    auto r = u.upgrade(id, {}, new_major_only_dir());
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    CHECK(json_of(r).at("source") == "version 1");
    CHECK(find_node(u.row(id).draft_graph, "send")->at("version") == 2);
}

TEST_CASE("scenarioctl scenario upgrade refuses bad arguments and unknown scenarios") {
    upgrade_db u;
    CHECK(ctl(u.s.db.conninfo(), {"scenario", "upgrade"}).exit_code == 2);
    CHECK(ctl(u.s.db.conninfo(), {"scenario", "upgrade", "a", "b"}).exit_code == 2);
    CHECK(ctl(u.s.db.conninfo(), {"scenario", "upgrade", "a", "--dry-run", "--publish"}).exit_code == 2);
    CHECK(ctl(u.s.db.conninfo(), {"scenario", "upgrade", "a", "--bogus", "1"}).exit_code == 2);
    auto missing = u.upgrade("00000000-0000-0000-0000-000000000000");
    INFO(missing.output);
    CHECK(missing.exit_code == 1);
    CHECK(json_of(missing).at("error") == "not_found");
    // The other scenario subcommands are still reached.
    CHECK(ctl(u.s.db.conninfo(), {"scenario", "versions", "00000000-0000-0000-0000-000000000000"}).exit_code == 1);
}
