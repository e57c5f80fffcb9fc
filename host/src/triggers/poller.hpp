#pragma once
// Runs polling triggers (a plugin's SR_CALL_POLL_TRIGGER) for every host sharing the database.
// A host takes a due trigger by pushing its next_poll_at forward (FOR UPDATE SKIP LOCKED), so
// one host polls it per interval; it calls the plugin with the cursor stored in plugin_state,
// then, in ONE transaction, queues a run per event (idempotency key per event) and stores the
// new cursor — only if the cursor is still the one it polled with. A crash before that commit
// leaves the old cursor: the next poll sees the same events and their keys dedup them.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <pqxx/transaction_base>

#include "db/db_pool.hpp"
#include "sr/core/engine/plugin_directory.hpp"

namespace sr::host {

struct poller_options {
    std::chrono::milliseconds tick{1000}; // how often due triggers are looked for
    int batch = 32;                       // triggers taken per look
    std::chrono::milliseconds call_timeout{30'000};
    // Decrypted credentials of a connection (as the worker's loader); null: none.
    std::function<std::string(pqxx::transaction_base&, const std::string& org_id, const std::string& connection_id)>
        load_credentials;
    std::function<void(const std::string& message)> log_error; // never given secrets
};

class poller : public std::enable_shared_from_this<poller> {
public:
    static std::shared_ptr<poller> create(boost::asio::io_context& ioc, db_pool& pool,
                                          const core::engine::plugin_directory& plugins, poller_options options);
    void start(); // thread-safe
    void stop();  // thread-safe; a poll in flight still commits

    // One look for due triggers now; `done` runs once every taken trigger was handled (tests).
    void poll_once(std::function<void()> done);

private:
    struct due_trigger;
    poller(boost::asio::io_context& ioc, db_pool& pool, const core::engine::plugin_directory& plugins,
           poller_options options);
    void schedule();
    void poll(const due_trigger& t, std::function<void()> done);
    void store(const due_trigger& t, const std::string& output_json, std::function<void()> done);

    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    boost::asio::steady_timer timer_;
    db_pool& pool_;
    const core::engine::plugin_directory& plugins_;
    poller_options options_;
    bool stopped_ = false;
    bool busy_ = false;
};

} // namespace sr::host
