#include "triggers/poller.hpp"

#include <atomic>

#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "runtime/run_queue.hpp"
#include "sr/core/engine/run_executor.hpp"

namespace sr::host {

namespace net = boost::asio;
namespace json = boost::json;

struct poller::due_trigger {
    std::string scenario_id, node_id, plugin_id, trigger_id, organization_id;
    uint32_t plugin_major = 1;
    std::string settings_json, connection_json;
    std::string cursor_json = "null"; // as stored; the compare-and-set value
};

namespace {

std::string scope_of(const std::string& scenario_id, const std::string& node_id) {
    return scenario_id + "/" + node_id; // the same scope the executor gives the node's plugin
}

// An event's identity: its "id" when it has one, else its whole JSON text.
std::string event_key(const std::string& node_id, const json::value& event) {
    if (event.is_object())
        if (const auto* id = event.as_object().if_contains("id"); id && (id->is_string() || id->is_number()))
            return "poll:" + node_id + ":" + (id->is_string() ? std::string(id->as_string()) : json::serialize(*id));
    return "poll:" + node_id + ":" + std::to_string(std::hash<std::string>{}(json::serialize(event)));
}

} // namespace

std::shared_ptr<poller> poller::create(net::io_context& ioc, db_pool& pool,
                                       const core::engine::plugin_directory& plugins, poller_options options) {
    return std::shared_ptr<poller>(new poller(ioc, pool, plugins, std::move(options)));
}

poller::poller(net::io_context& ioc, db_pool& pool, const core::engine::plugin_directory& plugins,
               poller_options options)
    : strand_(net::make_strand(ioc)), timer_(strand_), pool_(pool), plugins_(plugins), options_(std::move(options)) {
    if (!options_.log_error) options_.log_error = [](const std::string& m) { std::fprintf(stderr, "%s\n", m.c_str()); };
}

void poller::start() {
    net::post(strand_, [self = shared_from_this()] { self->schedule(); });
}

void poller::stop() {
    net::post(strand_, [self = shared_from_this()] {
        self->stopped_ = true;
        self->timer_.cancel();
    });
}

void poller::schedule() {
    if (stopped_) return;
    timer_.expires_after(options_.tick);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (ec || self->stopped_) return;
        if (self->busy_) return self->schedule();
        self->busy_ = true;
        self->poll_once([self] {
            net::post(self->strand_, [self] {
                self->busy_ = false;
                self->schedule();
            });
        });
    });
}

void poller::poll_once(std::function<void()> done) {
    auto self = shared_from_this();
    pool_.post(
        [self, done](pqxx::connection& conn) {
            std::vector<due_trigger> due;
            {
                pqxx::work tx(conn);
                auto rows = tx.exec_params(
                    "UPDATE polling_triggers p SET next_poll_at = now() + p.interval_s * interval '1 second', "
                    "  last_polled_at = now() "
                    "FROM scenarios s WHERE s.id = p.scenario_id AND p.id IN ("
                    "  SELECT id FROM polling_triggers WHERE is_active AND next_poll_at <= now() "
                    "  ORDER BY next_poll_at LIMIT $1 FOR UPDATE SKIP LOCKED) "
                    "RETURNING p.scenario_id::text, p.node_id, p.plugin_id, p.trigger_id, p.plugin_major, "
                    "  p.settings::text, coalesce(p.connection_id, ''), s.organization_id::text, "
                    "  coalesce((SELECT value::text FROM plugin_state st WHERE st.plugin_id = p.plugin_id "
                    "    AND st.scope = p.scenario_id::text || '/' || p.node_id AND st.key = 'cursor'), 'null')",
                    self->options_.batch);
                for (const auto& r : rows) {
                    due_trigger t;
                    t.scenario_id = r[0].as<std::string>();
                    t.node_id = r[1].as<std::string>();
                    t.plugin_id = r[2].as<std::string>();
                    t.trigger_id = r[3].as<std::string>();
                    t.plugin_major = r[4].as<uint32_t>();
                    t.settings_json = r[5].as<std::string>();
                    auto connection = r[6].as<std::string>();
                    t.organization_id = r[7].as<std::string>();
                    t.cursor_json = r[8].as<std::string>();
                    if (!connection.empty() && self->options_.load_credentials) {
                        try {
                            pqxx::subtransaction sub(tx, "credentials");
                            t.connection_json = self->options_.load_credentials(sub, t.organization_id, connection);
                            sub.commit();
                        } catch (const std::exception&) {
                            t.connection_json.clear(); // the plugin reports connection_invalid
                        }
                    }
                    due.push_back(std::move(t));
                }
                tx.commit();
            }
            if (due.empty()) return done();
            auto remaining = std::make_shared<std::atomic<std::size_t>>(due.size());
            for (const auto& t : due)
                self->poll(t, [remaining, done] {
                    if (--*remaining == 0) done();
                });
        },
        [self, done](std::exception_ptr e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                self->options_.log_error(std::string("polling triggers: ") + ex.what());
            }
            done();
        });
}

void poller::poll(const due_trigger& t, std::function<void()> done) {
    auto plugin = plugins_.find(t.plugin_id, t.plugin_major);
    if (!plugin) {
        options_.log_error("polling trigger " + t.scenario_id + "/" + t.node_id + ": no loaded plugin '" +
                           t.plugin_id + "'");
        return done();
    }
    core::call_request req;
    req.kind = SR_CALL_POLL_TRIGGER;
    req.target = t.trigger_id;
    req.settings_json = t.settings_json;
    req.connection_json = t.connection_json;
    req.cursor_json = t.cursor_json;
    req.node_id = t.node_id;
    req.scope = scope_of(t.scenario_id, t.node_id);
    req.deadline_unix_ms = core::engine::unix_now_ms() + options_.call_timeout.count();
    auto self = shared_from_this();
    plugin->invoke(std::move(req), [self, t, done](core::call_outcome outcome) {
        if (outcome.kind != SR_RESULT_SUCCESS) {
            self->options_.log_error("polling trigger " + t.scenario_id + "/" + t.node_id + " failed: " +
                                     outcome.error_code);
            return done();
        }
        self->store(t, outcome.output_json, done);
    });
}

void poller::store(const due_trigger& t, const std::string& output_json, std::function<void()> done) {
    auto self = shared_from_this();
    pool_.post(
        [self, t, output_json, done](pqxx::connection& conn) {
            json::value output = json::parse(output_json);
            const auto* events = output.is_object() ? output.as_object().if_contains("events") : nullptr;
            const auto* cursor = output.is_object() ? output.as_object().if_contains("cursor") : nullptr;
            pqxx::work tx(conn);
            const std::string scope = scope_of(t.scenario_id, t.node_id);
            // Compare and set: another host may have advanced the cursor since we read it.
            auto now_stored = tx.exec_params("SELECT value::text FROM plugin_state WHERE plugin_id = $1 AND scope = $2 "
                                             "AND key = 'cursor' FOR UPDATE",
                                             t.plugin_id, scope);
            std::string stored = now_stored.empty() ? "null" : now_stored[0][0].as<std::string>();
            if (json::parse(stored) != json::parse(t.cursor_json)) return done();
            if (events && events->is_array()) {
                for (const auto& event : events->as_array()) {
                    new_run run;
                    run.scenario_id = t.scenario_id;
                    run.trigger_kind = "polling";
                    run.trigger_node_id = t.node_id;
                    run.trigger_data = event;
                    run.idempotency_key = event_key(t.node_id, event);
                    enqueue_run(tx, run);
                }
            }
            if (cursor && !cursor->is_null())
                tx.exec_params("INSERT INTO plugin_state (plugin_id, scope, key, value) VALUES ($1, $2, 'cursor', $3::jsonb) "
                               "ON CONFLICT (plugin_id, scope, key) DO UPDATE SET value = excluded.value",
                               t.plugin_id, scope, json::serialize(*cursor));
            tx.commit();
            done();
        },
        [self, t, done](std::exception_ptr e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                self->options_.log_error("polling trigger " + t.scenario_id + "/" + t.node_id +
                                         ": storing its events failed: " + ex.what());
            }
            done();
        });
}

} // namespace sr::host
