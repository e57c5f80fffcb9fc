#include "app/publish_hooks.hpp"

#include <boost/json.hpp>

#include "triggers/polling_sync.hpp"
#include "triggers/schedule_sync.hpp"
#include "webhooks/webhook_endpoints.hpp"

namespace sr::host {

boost::json::value activate_version_triggers(pqxx::transaction_base& tx, const vault& keys,
                                             const std::string& scenario_id, const boost::json::value& definition) {
    boost::json::array webhooks;
    for (const auto& e : sync_webhook_endpoints(tx, keys, scenario_id, definition))
        webhooks.push_back({{"node_id", e.node_id},
                            {"url", "/webhooks/" + e.public_id},
                            {"verification", e.verification},
                            {"response_mode", e.response_mode}});
    sync_schedules(tx, scenario_id, definition);
    sync_polling_triggers(tx, scenario_id, definition);
    return webhooks;
}

} // namespace sr::host
