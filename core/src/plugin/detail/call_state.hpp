#pragma once
// The host-owned object behind every sr_call handed to a plugin. The sr_call comes first in a
// standard-layout struct, so the pointer the plugin passes back converts to the whole state.
#include <type_traits>

#include <scenario/sr_plugin.h>

namespace sr::core {
class call_context;
}

namespace sr::core::detail {

class live_call;

struct call_state {
    sr_call abi;
    call_context* ctx;
    live_call* call;
};
static_assert(std::is_standard_layout_v<call_state>);

inline const call_state* state_of(const sr_call* call) noexcept {
    return reinterpret_cast<const call_state*>(call);
}

} // namespace sr::core::detail
