#pragma once
// What the API routes need from the daemon. Everything referenced must outlive the server.
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/json/value.hpp>
#include <pqxx/transaction_base>

#include "db/db_pool.hpp"
#include "api/field_options_cache.hpp"
#include "sr/core/engine/action_catalog.hpp"
#include "sr/core/engine/plugin_directory.hpp"
#include "security/vault.hpp"

namespace sr::host {

struct api_context {
    db_pool& pool;
    // The actions of the loaded plugins (loaded_plugins::catalog()): graphs are validated
    // against it on save (reported) and on publish (blocking).
    const core::engine::action_catalog& catalog;
    // Bodies larger than this get 413 (the server's own limit applies first).
    std::size_t max_body_bytes = 512 * 1024;
    // Called inside the publish and rollback transactions with the definition that became
    // current, e.g. to sync webhook endpoints; its result (if not null) is returned to the
    // client as "webhooks". Optional.
    std::function<boost::json::value(pqxx::transaction_base& tx, const std::string& org_id,
                                     const std::string& scenario_id, const boost::json::value& definition)>
        on_version_current;
    // Unexpected failures (one line each, never a secret). Default: stderr.
    std::function<void(std::string_view message)> log_error;
    // Seals and opens connection credentials. Null: the connection routes answer 503.
    const vault* keys = nullptr;
    // The loaded plugins, for dynamic-field options. Null: that route answers 503.
    const core::engine::plugin_directory* plugins = nullptr;
    // Dynamic-field options already asked for, by organization, field and dependency values.
    std::shared_ptr<field_options_cache> options_cache = std::make_shared<field_options_cache>();
    // Where dry-runs and connection tests run their plugin calls and timers (the host's
    // io_context), so no db_pool or I/O thread waits for a plugin. Empty: those routes answer 503.
    boost::asio::any_io_executor io{};
};

} // namespace sr::host
