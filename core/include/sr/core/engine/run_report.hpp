#pragma once
// What a finished run looks like from outside: its outcome and every node's record, in the
// order nodes started (the path taken), followed by the nodes that never ran.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "sr/core/engine/run_machine.hpp"

namespace sr::core::engine {

struct node_report {
    std::string node_id;
    std::string item_path; // "" for the run itself, "2" or "2.0" inside iterations
    node_status status = node_status::pending;
    uint32_t attempts = 0;
    boost::json::value input;
    boost::json::value output;
    boost::json::value error;
    bool preview = false;  // dry-run: the output is the manifest's sample, nothing was called
    int64_t started_ms = 0;
    int64_t finished_ms = 0;
};

struct run_report {
    run_status status = run_status::running;
    boost::json::value error; // {"code","message","node"} when not succeeded
    std::vector<node_report> nodes;
    std::vector<std::string> path; // node ids in the order they started
    int64_t started_ms = 0;
    int64_t finished_ms = 0;
};

// "2.0": the item indexes from the outermost iteration inward.
std::string item_path(const run_machine& machine, uint32_t frame);

// Builds the report of a machine (finished or not); `previewed` marks dry-run nodes.
run_report make_report(const run_machine& machine, const std::function<bool(node_key)>& previewed = {});

boost::json::value to_json(const run_report& report);

} // namespace sr::core::engine
