// sr.kv/1 against a real PostgreSQL database migrated with the project's schema.
#include "services_fixture.hpp"

#include "db/migrator.hpp"
#include "test_database.hpp"

#include <pqxx/pqxx>

using namespace sr::test;
using namespace std::chrono_literals;
namespace json = boost::json;
namespace host = sr::host;

namespace {

struct migrated_database {
    test_database db;
    migrated_database() {
        pqxx::connection conn(db.conninfo());
        host::migrate(conn);
    }
    std::string conninfo() const { return db.conninfo(); }
};

sr::core::call_request in_scope(std::string scope) {
    sr::core::call_request r;
    r.scope = std::move(scope);
    return r;
}

json::object kv(services_fixture& f, json::object input, std::string scope = "trigger-1") {
    return services_fixture::output(f.call("kv", input, in_scope(std::move(scope))));
}

// Waits for a kv callback given directly to host_services.
struct kv_probe {
    std::promise<std::pair<sr_status, std::string>> result;
    std::atomic<int> calls{0};
    std::thread::id thread;
    static void on_get(void* ud, sr_status s, sr_str v) {
        auto* p = static_cast<kv_probe*>(ud);
        p->thread = std::this_thread::get_id();
        if (++p->calls == 1) p->result.set_value({s, std::string(v.data ? v.data : "", v.size)});
    }
    static void on_done(void* ud, sr_status s) {
        auto* p = static_cast<kv_probe*>(ud);
        p->thread = std::this_thread::get_id();
        if (++p->calls == 1) p->result.set_value({s, {}});
    }
    std::pair<sr_status, std::string> wait() {
        auto f = result.get_future();
        REQUIRE(f.wait_for(20s) == std::future_status::ready);
        return f.get();
    }
};

sr_str str(std::string_view s) { return {s.data(), s.size()}; }

host::service_call probe_call(std::string scope = "s") {
    return {"service_probe", std::move(scope), "", "", "", nullptr, 0};
}

} // namespace

TEST_CASE("sr.kv/1 stores, reads back, overwrites and removes a value") {
    migrated_database db;
    services_fixture f(db.conninfo());
    CHECK(services_fixture::output(f.call("services", json::object{})).at("kv") == true);

    CHECK(kv(f, {{"op", "put"}, {"key", "cursor"}, {"value", R"({"after": "2024-01-01", "ids": [1, 2]})"}}).at("status") == SR_OK);
    auto got = kv(f, {{"op", "get"}, {"key", "cursor"}});
    CHECK(got.at("status") == SR_OK);
    CHECK(json::parse(json::value_to<std::string>(got.at("value"))) == json::parse(R"({"after":"2024-01-01","ids":[1,2]})"));

    CHECK(kv(f, {{"op", "put"}, {"key", "cursor"}, {"value", "42"}}).at("status") == SR_OK);
    CHECK(kv(f, {{"op", "get"}, {"key", "cursor"}}).at("value") == "42");

    CHECK(kv(f, {{"op", "remove"}, {"key", "cursor"}}).at("status") == SR_OK);
    auto gone = kv(f, {{"op", "get"}, {"key", "cursor"}});
    CHECK(gone.at("status") == SR_ERR_NOT_FOUND);
    CHECK_FALSE(gone.contains("value"));
}

TEST_CASE("sr.kv/1 rows are keyed by plugin id, scope and key") {
    migrated_database db;
    services_fixture f(db.conninfo());
    CHECK(kv(f, {{"op", "put"}, {"key", "k"}, {"value", "\"one\""}}, "scope-a").at("status") == SR_OK);
    CHECK(kv(f, {{"op", "get"}, {"key", "k"}}, "scope-b").at("status") == SR_ERR_NOT_FOUND);
    CHECK(kv(f, {{"op", "get"}, {"key", "k"}}, "scope-a").at("value") == "\"one\"");

    pqxx::connection conn(db.conninfo());
    pqxx::work tx(conn);
    auto rows = tx.exec("SELECT plugin_id, scope, key, value::text FROM plugin_state");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0][0].as<std::string>() == "service_probe");
    CHECK(rows[0][1].as<std::string>() == "scope-a");
    CHECK(rows[0][2].as<std::string>() == "k");
    CHECK(rows[0][3].as<std::string>() == "\"one\"");
}

TEST_CASE("Removing a key that does not exist succeeds") {
    migrated_database db;
    services_fixture f(db.conninfo());
    CHECK(kv(f, {{"op", "remove"}, {"key", "never-written"}}).at("status") == SR_OK);
}

TEST_CASE("sr.kv/1 refuses bad keys and values synchronously") {
    migrated_database db;
    services_fixture f(db.conninfo());
    auto call = probe_call();
    kv_probe p;
    auto& s = *f.services;
    CHECK(s.kv_put(call, str(""), str("1"), kv_probe::on_done, &p) == SR_ERR_INVALID_ARGUMENT);
    CHECK(s.kv_put(call, str("k"), str("{not json"), kv_probe::on_done, &p) == SR_ERR_INVALID_ARGUMENT);
    CHECK(s.kv_put(call, str("k"), str(""), kv_probe::on_done, &p) == SR_ERR_INVALID_ARGUMENT);
    CHECK(s.kv_put(call, str("k"), str("\"\xC3\x28\""), kv_probe::on_done, &p) == SR_ERR_INVALID_ARGUMENT);
    CHECK(s.kv_put(call, str("k\xFF"), str("1"), kv_probe::on_done, &p) == SR_ERR_INVALID_ARGUMENT);
    CHECK(s.kv_put(call, str(std::string(host::host_services::max_key_bytes + 1, 'k')), str("1"), kv_probe::on_done, &p) ==
          SR_ERR_INVALID_ARGUMENT);
    std::string huge = "\"" + std::string(host::host_services::max_value_bytes, 'v') + "\"";
    CHECK(s.kv_put(call, str("k"), str(huge), kv_probe::on_done, &p) == SR_ERR_TOO_LARGE);
    CHECK(s.kv_put(call, str("k"), str("1"), nullptr, &p) == SR_ERR_INVALID_ARGUMENT);
    CHECK(s.kv_get(call, sr_str{nullptr, 3}, kv_probe::on_get, &p) == SR_ERR_INVALID_ARGUMENT);
    CHECK(s.kv_remove(call, str(""), kv_probe::on_done, &p) == SR_ERR_INVALID_ARGUMENT);
    std::this_thread::sleep_for(100ms);
    CHECK(p.calls == 0);
}

TEST_CASE("A JSON value PostgreSQL cannot store reports SR_ERR_INVALID_ARGUMENT through the callback") {
    migrated_database db;
    services_fixture f(db.conninfo());
    kv_probe p;
    REQUIRE(f.services->kv_put(probe_call(), str("k"), str(R"("nul \u0000 inside")"), kv_probe::on_done, &p) == SR_OK);
    CHECK(p.wait().first == SR_ERR_INVALID_ARGUMENT);
}

TEST_CASE("sr.kv/1 callbacks run once on an io_context thread") {
    migrated_database db;
    services_fixture f(db.conninfo());
    kv_probe put, get;
    REQUIRE(f.services->kv_put(probe_call(), str("t"), str("[true]"), kv_probe::on_done, &put) == SR_OK);
    CHECK(put.wait().first == SR_OK);
    REQUIRE(f.services->kv_get(probe_call(), str("t"), kv_probe::on_get, &get) == SR_OK);
    auto [status, value] = get.wait();
    CHECK(status == SR_OK);
    CHECK(value == "[true]");
    std::this_thread::sleep_for(50ms);
    CHECK(put.calls == 1);
    CHECK(get.calls == 1);
    CHECK(f.is_io_thread(put.thread));
    CHECK(f.is_io_thread(get.thread));
}

TEST_CASE("An unreachable store reports SR_ERR_IO through the callback and logs a warning") {
    services_fixture f(std::string("host=/nonexistent-sr-socket-dir port=1 user=nobody dbname=none connect_timeout=2"));
    kv_probe p;
    REQUIRE(f.services->kv_get(probe_call(), str("k"), kv_probe::on_get, &p) == SR_OK);
    CHECK(p.wait().first == SR_ERR_IO);
    bool warned = false;
    for (auto& l : f.lines()) warned = warned || l.find("sr.kv/1 get failed") != std::string::npos;
    CHECK(warned);
}

TEST_CASE("Many concurrent puts of one key leave exactly one row with one of the values") {
    migrated_database db;
    services_fixture f(db.conninfo());
    std::vector<std::unique_ptr<kv_probe>> probes;
    for (int i = 0; i < 20; ++i) {
        probes.push_back(std::make_unique<kv_probe>());
        auto v = std::to_string(i);
        REQUIRE(f.services->kv_put(probe_call(), str("same"), str(v), kv_probe::on_done, probes.back().get()) == SR_OK);
    }
    for (auto& p : probes) CHECK(p->wait().first == SR_OK);
    pqxx::connection conn(db.conninfo());
    pqxx::work tx(conn);
    CHECK(tx.exec("SELECT count(*) FROM plugin_state WHERE key = 'same'")[0][0].as<int>() == 1);
}
