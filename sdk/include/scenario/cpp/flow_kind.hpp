#pragma once
// The role an action plays in the engine beyond being called (manifest "flow"). Most actions
// have none; router and system building blocks declare one so the engine knows to run a
// branch per item, collect an iteration, join branches, keep variables or end the run.
#include <string_view>

namespace sr::sdk {

enum class flow_kind {
    iterate,   // outputs {"items": [...], "concurrency"?: n}; the downstream branch runs per item
    aggregate, // the engine injects the iteration's outputs as settings.items
    merge,     // joins incoming branches; settings.mode "all" or "any"
    variables, // its output object becomes run variables ({{vars.name}})
    stop       // once it succeeds, the run ends as succeeded
};

// The manifest spelling of `kind`.
constexpr std::string_view to_string(flow_kind kind) noexcept {
    switch (kind) {
    case flow_kind::iterate: return "iterate";
    case flow_kind::aggregate: return "aggregate";
    case flow_kind::merge: return "merge";
    case flow_kind::variables: return "variables";
    case flow_kind::stop: return "stop";
    }
    return "";
}

} // namespace sr::sdk
