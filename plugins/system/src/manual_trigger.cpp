#include "manual_trigger.hpp"

namespace sr::plugins::system {

sdk::trigger manual_trigger() {
    // The host starts the run itself; the plugin has nothing to call.
    return sdk::trigger("manual", "Run manually", sdk::trigger_kind::manual)
        .description("Starts the scenario on demand, with the payload given when starting it.")
        .settings_schema(R"({"type": "object", "properties": {}})")
        .sample_output(R"({"payload": {"note": "started by hand"}})");
}

} // namespace sr::plugins::system
