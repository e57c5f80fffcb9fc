// Scenarios of an organization: CRUD, organization isolation, draft saves with revisions.
#include <set>

#include <functional>

#include <catch2/catch.hpp>

#include "store/store.hpp"
#include "store_fixture.hpp"

using namespace sr::host;
using sr::test::store_db;
using sr::test::store_error_code;
namespace json = boost::json;

TEST_CASE("create_scenario stores a draft scenario that find_scenario returns") {
    store_db s;
    auto org = s.create_org("acme");
    auto user = s.create_user("a@example.com");
    pqxx::work tx(s.conn);
    auto row = create_scenario(tx, org, user, "Orders", "sync orders", json::object{{"timeout_ms", 5000}});
    auto found = find_scenario(tx, org, row.id);
    REQUIRE(found);
    CHECK(found->name == "Orders");
    CHECK(found->description == "sync orders");
    CHECK(found->status == "draft");
    CHECK(found->pause_policy == "queue");
    CHECK(found->current_version_id.empty());
    CHECK(found->draft_revision == 0);
    CHECK(found->draft_graph.at("nodes").as_array().empty());
    CHECK(found->settings.at("timeout_ms") == 5000);
    CHECK(found->created_at.size() == 24);
    CHECK(found->created_at.back() == 'Z');
}

TEST_CASE("create_scenario refuses an empty name, non-object settings and an unknown organization") {
    store_db s;
    auto org = s.create_org("acme");
    pqxx::work tx(s.conn);
    CHECK(store_error_code([&] { create_scenario(tx, org, "", "", "", nullptr); }) == "invalid_input");
    CHECK(store_error_code([&] { create_scenario(tx, org, "", "x", "", json::array{}); }) == "invalid_input");
    CHECK(store_error_code([&] { create_scenario(tx, org, "not-a-uuid", "x", "", nullptr); }) == "invalid_input");
    CHECK(store_error_code([&] { create_scenario(tx, "00000000-0000-0000-0000-000000000000", "", "x", "", nullptr); }) ==
          "not_found");
    CHECK(store_error_code([&] { create_scenario(tx, "acme", "", "x", "", nullptr); }) == "not_found");
    // The transaction is still usable: no SQL error was raised.
    CHECK(create_scenario(tx, org, "", "ok", "", nullptr).name == "ok");
}

TEST_CASE("another organization's scenario is not found, cannot be changed and cannot be deleted") {
    store_db s;
    auto org_a = s.create_org("a");
    auto org_b = s.create_org("b");
    pqxx::work tx(s.conn);
    auto row = create_scenario(tx, org_a, "", "A's", "", nullptr);
    CHECK_FALSE(find_scenario(tx, org_b, row.id));
    CHECK(list_scenarios(tx, org_b, 50, "").empty());
    CHECK(store_error_code([&] { update_scenario(tx, org_b, row.id, json::object{{"name", "stolen"}}); }) == "not_found");
    CHECK(store_error_code([&] { save_draft(tx, org_b, row.id, sr::test::two_node_graph(), -1); }) == "not_found");
    CHECK(store_error_code([&] { publish_scenario(tx, org_b, row.id, "", "", nullptr); }) == "not_found");
    CHECK(store_error_code([&] { list_versions(tx, org_b, row.id); }) == "not_found");
    CHECK_FALSE(delete_scenario(tx, org_b, row.id));
    CHECK(find_scenario(tx, org_a, row.id)->name == "A's");
}

TEST_CASE("list_scenarios pages newest first with the last id as cursor") {
    store_db s;
    auto org = s.create_org("acme");
    pqxx::work tx(s.conn);
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(create_scenario(tx, org, "", "s" + std::to_string(i), "", nullptr).id);
    // Same transaction = same now(): order falls back to the id, so compare as sets per page.
    auto first = list_scenarios(tx, org, 3, "");
    REQUIRE(first.size() == 3);
    auto second = list_scenarios(tx, org, 3, first.back().id);
    REQUIRE(second.size() == 2);
    std::set<std::string> seen;
    for (const auto& r : first) seen.insert(r.id);
    for (const auto& r : second) seen.insert(r.id);
    CHECK(seen == std::set<std::string>(ids.begin(), ids.end()));
    CHECK(store_error_code([&] { list_scenarios(tx, org, 3, "garbage"); }) == "invalid_input");
}

TEST_CASE("update_scenario changes only the fields in the patch") {
    store_db s;
    auto org = s.create_org("acme");
    pqxx::work tx(s.conn);
    auto row = create_scenario(tx, org, "", "Old", "desc", json::object{{"a", 1}});
    auto updated = update_scenario(tx, org, row.id, json::object{{"name", "New"}, {"pause_policy", "reject"}});
    CHECK(updated.name == "New");
    CHECK(updated.pause_policy == "reject");
    CHECK(updated.description == "desc");
    CHECK(updated.settings.at("a") == 1);
    auto cleared = update_scenario(tx, org, row.id, json::object{{"description", nullptr}, {"settings", json::object{}}});
    CHECK(cleared.description.empty());
    CHECK(cleared.settings.as_object().empty());
    CHECK(cleared.name == "New");
}

TEST_CASE("update_scenario refuses unknown fields and wrong types with invalid_input") {
    store_db s;
    auto org = s.create_org("acme");
    pqxx::work tx(s.conn);
    auto row = create_scenario(tx, org, "", "x", "", nullptr);
    CHECK(store_error_code([&] { update_scenario(tx, org, row.id, json::object{{"status", "active"}}); }) == "invalid_input");
    CHECK(store_error_code([&] { update_scenario(tx, org, row.id, json::object{{"name", ""}}); }) == "invalid_input");
    CHECK(store_error_code([&] { update_scenario(tx, org, row.id, json::object{{"name", 3}}); }) == "invalid_input");
    CHECK(store_error_code([&] { update_scenario(tx, org, row.id, json::object{{"settings", "x"}}); }) == "invalid_input");
    CHECK(store_error_code([&] { update_scenario(tx, org, row.id, json::object{{"pause_policy", "drop"}}); }) ==
          "invalid_input");
    CHECK(find_scenario(tx, org, row.id)->name == "x");
}

TEST_CASE("delete_scenario removes the scenario with its versions and runs") {
    store_db s;
    auto org = s.create_org("acme");
    auto id = s.published_scenario(org, sr::test::two_node_graph());
    {
        pqxx::work tx(s.conn);
        sr::test::insert_run(tx, id, find_scenario(tx, org, id)->current_version_id, "succeeded");
        CHECK(delete_scenario(tx, org, id));
        CHECK_FALSE(delete_scenario(tx, org, id));
        tx.commit();
    }
    CHECK(s.count("SELECT count(*) FROM scenario_versions") == 0);
    CHECK(s.count("SELECT count(*) FROM runs") == 0);
}

TEST_CASE("save_draft bumps the revision and refuses a stale expected revision with conflict") {
    store_db s;
    auto org = s.create_org("acme");
    pqxx::work tx(s.conn);
    auto row = create_scenario(tx, org, "", "x", "", nullptr);
    CHECK(save_draft(tx, org, row.id, sr::test::two_node_graph("one"), 0) == 1);
    CHECK(save_draft(tx, org, row.id, sr::test::two_node_graph("two"), 1) == 2);
    try {
        save_draft(tx, org, row.id, sr::test::two_node_graph("stale"), 1);
        FAIL("a stale revision was accepted");
    } catch (const store_error& e) {
        CHECK(e.code == "conflict");
        CHECK(e.details.at("current_revision") == 2);
    }
    CHECK(save_draft(tx, org, row.id, sr::test::two_node_graph("forced"), -1) == 3);
    auto found = find_scenario(tx, org, row.id);
    CHECK(found->draft_revision == 3);
    CHECK(found->draft_graph.at("nodes").at(1).at("data").at("settings").at("message") == "forced");
}

TEST_CASE("save_draft refuses a graph that is not an object and ids that are not uuids") {
    store_db s;
    auto org = s.create_org("acme");
    pqxx::work tx(s.conn);
    auto row = create_scenario(tx, org, "", "x", "", nullptr);
    CHECK(store_error_code([&] { save_draft(tx, org, row.id, json::array{1, 2}, -1); }) == "invalid_input");
    CHECK(store_error_code([&] { save_draft(tx, org, row.id, "text", -1); }) == "invalid_input");
    CHECK(store_error_code([&] { save_draft(tx, org, "'; DROP TABLE scenarios; --", json::object{}, -1); }) == "not_found");
    CHECK(store_error_code([&] { save_draft(tx, org, "00000000-0000-0000-0000-000000000000", json::object{}, -1); }) ==
          "not_found");
    CHECK_FALSE(find_scenario(tx, org, "nope"));
    CHECK_FALSE(find_scenario(tx, "nope", row.id));
    CHECK(find_scenario(tx, org, row.id)->draft_revision == 0);
}
