#pragma once
// Building blocks the engine suites share: a React Flow node and edge, a node's report in a
// run report, and the URL of a scripted server.
#include <string>
#include <utility>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "sr/core/engine/run_executor.hpp"
#include "test_servers.hpp"

namespace sr::test {

inline boost::json::object node(const std::string& id, const std::string& type,
                                boost::json::value settings = boost::json::object(), boost::json::object data = {}) {
    data["label"] = id;
    data["settings"] = std::move(settings);
    return {{"id", id}, {"type", type}, {"version", 1}, {"position", {{"x", 0}, {"y", 0}}}, {"data", std::move(data)}};
}

inline boost::json::object edge(const std::string& from, const std::string& to, const std::string& handle = "") {
    boost::json::object e{{"id", from + "-" + to}, {"source", from}, {"target", to}};
    if (!handle.empty()) e["sourceHandle"] = handle;
    return e;
}

inline const core::engine::node_report& report_of(const core::engine::run_report& r, const std::string& id) {
    for (const auto& n : r.nodes)
        if (n.node_id == id) return n;
    FAIL("no node " << id);
    return r.nodes.front();
}

inline std::string url_of(const scripted_server& server) {
    return "http://127.0.0.1:" + std::to_string(server.port()) + "/";
}

} // namespace sr::test
