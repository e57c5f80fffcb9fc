#pragma once
// A plugin instance on a test_host whose complete() also keeps what test_host does not: each
// result's struct_size and route_json (ABI 1.1), read the way a host must read them.
// Only one routed_plugin may exist at a time (complete() carries no host pointer).
#include "test_host.hpp"

#include <scenario/sr_plugin.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sr::test {

// The output handles a result chose: nullopt follows every success edge, an empty list none.
using route_handles = std::optional<std::vector<std::string>>;

// The host's rule for sr_result.route_json: a result whose struct_size ends before the field
// (a plugin built against ABI 1.0) or whose route_json is empty follows every success edge;
// otherwise route_json is a JSON array of handle ids. Throws std::invalid_argument when it
// is anything else.
route_handles read_route(const sr_result& result);

struct route_record {
    uint32_t struct_size = 0;
    bool has_route_field = false; // SR_HAS_FIELD(result, sr_result, route_json)
    std::string route_json;       // as sent, when the field is present
    route_handles route;          // read_route()
    std::string route_error;      // why read_route() refused it; empty when it did not
};

class routed_plugin {
public:
    routed_plugin(const sr_plugin_entry* entry, test_host& host);
    ~routed_plugin();
    routed_plugin(const routed_plugin&) = delete;
    routed_plugin& operator=(const routed_plugin&) = delete;

    std::string manifest() const;
    sr_status execute(const test_call& call) const;
    // What the call's first result carried; nullopt until it completed.
    std::optional<route_record> route_of(const test_call& call) const;

private:
    static sr_status on_complete(const sr_call* call, const sr_result* result);

    const sr_plugin_entry* entry_;
    sr_host host_{};
    sr_status (*forward_)(const sr_call*, const sr_result*) = nullptr;
    void* instance_ = nullptr;
    mutable std::mutex mutex_;
    std::map<const sr_call*, route_record> records_;
};

} // namespace sr::test
