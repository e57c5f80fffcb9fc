#pragma once
// One SR_CALL_MIGRATE_SETTINGS call, waited for: an upgrade is an operator's command, run off
// the I/O threads, so blocking here (bounded by a deadline) keeps the upgrader a plain loop.
#include <chrono>
#include <string>

#include <boost/json/value.hpp>

#include "sr/core/plugin/plugin_instance.hpp"

namespace sr::core::upgrade {

struct migrate_outcome {
    enum class kind { migrated, unsupported, failed } what = kind::failed;
    boost::json::value settings; // migrated: the plugin's output
    std::string message;         // failed: why, for people
};

// Asks `plugin` to rewrite `settings` of action (or trigger) `target`, saved under plugin
// version `from_version`. A plugin without a migrate step for it (execute() answers
// unsupported or unknown_target) gives `unsupported`. Waits at most `timeout`, then cancels
// the call and waits one more second for it to complete before giving up on it.
migrate_outcome call_migrate(plugin_instance& plugin, const std::string& target, const std::string& node_id,
                             const boost::json::value& settings, const std::string& from_version,
                             std::chrono::milliseconds timeout);

} // namespace sr::core::upgrade
