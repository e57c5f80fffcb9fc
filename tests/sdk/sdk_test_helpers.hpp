#pragma once
// Small helpers the SDK suites share: an action that only runs a handler, a manifest's action
// by id, and the message of an init() that must fail.
#include "test_host.hpp"

#include <scenario/sdk.hpp>

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <string>
#include <utility>

namespace sr::test {

inline sdk::action plain_action(const char* id, sdk::handler fn) {
    return sdk::action(id, id).side_effects(false).run(std::move(fn));
}

inline const boost::json::object& action_named(const boost::json::value& manifest, const char* id) {
    for (const auto& a : manifest.at("actions").as_array()) {
        if (a.at("id") == id) return a.as_object();
    }
    FAIL("no action " << id);
    throw; // unreachable
}

// init() must refuse with SR_ERR_INIT_FAILED and log exactly one error line: its message.
inline std::string init_failure(const sr_plugin_entry* entry, test_host& host) {
    void* instance = nullptr;
    const sr_status status = entry->init(host.host(), &instance);
    CHECK(status == SR_ERR_INIT_FAILED);
    const auto logs = host.logs();
    REQUIRE(logs.size() == 1);
    CHECK(logs[0].level == SR_LOG_ERROR);
    return logs[0].message;
}

} // namespace sr::test
