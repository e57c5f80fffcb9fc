#include "runtime/run_worker.hpp"

#include <algorithm>
#include <atomic>
#include <unordered_map>
#include <unordered_set>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>
#include <pqxx/pqxx>

#include "runtime/plan_cache.hpp"
#include "runtime/queue_listener.hpp"
#include "runtime/run_log_lines.hpp"
#include "runtime/run_claims.hpp"
#include "runtime/run_writer.hpp"
#include "sr/core/engine/run_executor.hpp"

namespace sr::host {

namespace net = boost::asio;
namespace json = boost::json;
using namespace core::engine;

namespace {

const char* stored_status(node_status s) {
    switch (s) {
    case node_status::succeeded: return "succeeded";
    case node_status::failed: return "failed";
    case node_status::skipped: return "skipped";
    case node_status::suspended: return "waiting";
    case node_status::pending:
    case node_status::ready: return "pending";
    default: return "cancelled"; // running, retry_wait or cancelled when the run stopped
    }
}

std::string error_text(const json::value& error, const char* field) {
    if (!error.is_object()) return {};
    const auto* v = error.as_object().if_contains(field);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// One run executing on this host. Touched on its run's strand (hooks, done), except `handle`
// and `cancel_sent`, which the worker's strand uses, and the two flags both read.
struct active_run {
    claimed_run claim;
    std::shared_ptr<const compiled_version> compiled;
    std::unordered_map<std::string, std::string> credentials;   // connection id -> JSON
    std::unordered_map<std::string, journal_entry> journal;     // by node path
    struct stored_row {
        uint32_t attempt = 1;
        bool succeeded = false; // the row says succeeded already: the finish need not write it
    };
    std::unordered_map<std::string, stored_row> stored;         // node path -> its node_runs row
    std::shared_ptr<run_handle> handle;
    std::atomic<bool> parking{false};   // handed to the writer to park: its lease goes
    std::atomic<bool> finishing{false}; // handed to the writer to finish: its lease goes
    bool cancel_sent = false;
};

} // namespace

struct run_worker::state : std::enable_shared_from_this<run_worker::state> {
    state(net::io_context& ioc_, db_pool& pool_, const loaded_plugins& plugins_, worker_options opt_, json_log& log_,
          run_waiters* waiters_, breaker_registry* breakers_)
        : ioc(ioc_), pool(pool_), plugins(plugins_), opt(std::move(opt_)), log(log_), waiters(waiters_),
          strand(net::make_strand(ioc_)), poll_timer(strand), heartbeat_timer(strand), drain_timer(strand),
          executor(ioc_.get_executor(), plugins_, breakers_), writer(std::make_shared<run_writer>(pool_, opt.owner,
                                               [&log_](const std::string& m) {
                                                   log_.write(SR_LOG_ERROR, {.component = "worker"}, m);
                                               },
                                               opt.writer_lanes)),
          plans(plugins_.catalog()) {}

    // Runs still here (the worker went without draining) let go of their sessions, which hold
    // them: otherwise each pair would keep the other, and its plan, alive. No abandon(): it
    // posts to the session's strand, whose io_context may be gone by now; a session still
    // driving finds the worker gone at its next commit and stops there.
    ~state() {
        for (auto& [id, run] : active) run->handle.reset();
    }

    net::io_context& ioc;
    db_pool& pool;
    const loaded_plugins& plugins;
    worker_options opt;
    json_log& log;
    run_waiters* waiters;
    net::strand<net::io_context::executor_type> strand;
    net::steady_timer poll_timer, heartbeat_timer, drain_timer;
    run_executor executor;
    std::shared_ptr<run_writer> writer;
    plan_cache plans;
    std::unique_ptr<queue_listener> listener;

    // On the strand:
    std::unordered_map<std::string, std::shared_ptr<active_run>> active;
    bool claiming = false;
    bool heartbeat_in_flight = false;
    bool claim_again = false; // a wake-up came while a claim was in flight
    bool draining = false;
    std::function<void()> drained;
    std::atomic<std::size_t> active_count{0};
    std::atomic<std::size_t> reserved{0}; // places held by hand-offs not started yet
    std::atomic<bool> closing{false};     // drain() was called: no more hand-offs

    void error(const std::string& message) { log.write(SR_LOG_ERROR, {.component = "worker"}, message); }

    // ---- claiming ----------------------------------------------------------------------

    void wake() { net::post(strand, [self = shared_from_this()] { self->try_claim(); }); }

    void try_claim() {
        if (claiming) {
            // The claim in flight may have started before the run that woke us was committed:
            // look again when it is done, instead of leaving that run to the next poll.
            claim_again = true;
            return;
        }
        const std::size_t busy = active.size() + reserved.load();
        if (draining || busy >= opt.max_runs) return;
        claiming = true;
        claim_again = false;
        const int limit = static_cast<int>(std::min<std::size_t>(opt.claim_batch, opt.max_runs - busy));
        auto self = shared_from_this();
        pool.post(
            [self, limit](pqxx::connection& conn) {
                pqxx::work tx(conn);
                auto runs = claim_runs(tx, self->opt.owner, self->opt.lease_ms, limit);
                auto prepared = self->prepare(tx, std::move(runs));
                tx.commit();
                net::post(self->strand, [self, limit, prepared = std::move(prepared)]() mutable {
                    self->claiming = false;
                    for (auto& run : prepared) self->start_run(std::move(run));
                    if (static_cast<int>(prepared.size()) == limit || self->claim_again) self->try_claim();
                });
            },
            [self](std::exception_ptr e) {
                try {
                    std::rethrow_exception(e);
                } catch (const std::exception& ex) {
                    self->error(std::string("claiming runs failed: ") + ex.what());
                }
                net::post(self->strand, [self] {
                    self->claiming = false;
                    self->claim_again = false; // the poll timer tries again
                });
            });
    }

    // On the db thread, inside the claim transaction: plans, journals and credentials.
    std::vector<std::shared_ptr<active_run>> prepare(pqxx::dbtransaction& tx, std::vector<claimed_run> runs) {
        std::vector<std::string> missing;
        for (const auto& r : runs)
            if (!r.node_overrides.is_object() && !plans.find(r.version_id)) missing.push_back(r.version_id);
        std::vector<std::string> with_overrides;
        for (const auto& r : runs)
            if (r.node_overrides.is_object()) with_overrides.push_back(r.version_id);
        std::unordered_map<std::string, json::value> definitions;
        missing.insert(missing.end(), with_overrides.begin(), with_overrides.end());
        std::sort(missing.begin(), missing.end());
        missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
        for (auto& [id, definition] : load_versions(tx, missing)) definitions[id] = std::move(definition);

        std::vector<std::shared_ptr<active_run>> out;
        for (auto& r : runs) {
            auto run = std::make_shared<active_run>();
            if (r.node_overrides.is_object())
                run->compiled = plans.with_overrides(definitions[r.version_id], r.node_overrides);
            else if (!(run->compiled = plans.find(r.version_id)))
                run->compiled = plans.add(r.version_id, definitions[r.version_id]);
            for (auto& entry : r.journal) {
                run->stored[entry.path] = {entry.attempt, entry.result.outcome == node_result::kind::success};
                std::string path = entry.path;
                run->journal.emplace(std::move(path), std::move(entry));
            }
            r.journal.clear();
            run->claim = std::move(r);
            load_credentials(tx, *run);
            out.push_back(std::move(run));
        }
        return out;
    }

    void load_credentials(pqxx::dbtransaction& tx, active_run& run) {
        if (!opt.load_credentials || !run.compiled->plan) return;
        for (const auto& node : run.compiled->plan->nodes()) {
            const auto& id = node.definition->connection_id;
            if (id.empty() || run.credentials.count(id)) continue;
            try {
                pqxx::subtransaction sub(tx, "credentials");
                run.credentials[id] = opt.load_credentials(sub, run.claim.organization_id, id);
                sub.commit();
            } catch (const std::exception&) {
                // The node gets no credentials and its plugin reports connection_invalid; the
                // reason is not logged because it may name the secret's row.
                run.credentials[id] = "";
            }
        }
    }

    // ---- running -----------------------------------------------------------------------

    void start_run(std::shared_ptr<active_run> run) {
        const std::string id = run->claim.run_id;
        active[id] = run;
        active_count = active.size();
        if (opt.run_logs) opt.run_logs->open(id);
        if (!run->compiled->plan) {
            run_report failed;
            failed.status = run_status::failed;
            failed.error = json::object{{"code", "plan_invalid"}, {"message", run->compiled->problem}};
            finish_run(run, std::move(failed));
            return;
        }
        run_request req;
        req.plan = run->compiled->plan;
        req.renderer = run->compiled->renderer;
        req.trigger_output = run->claim.trigger_data;
        req.run_id = id;
        req.correlation_id = run->claim.correlation_id;
        req.scope_prefix = run->claim.scenario_id;
        req.connections = [run](const std::string& connection_id) {
            auto it = run->credentials.find(connection_id);
            return it == run->credentials.end() ? std::string() : it->second;
        };
        add_durability(req, run);
        run->handle = executor.start(std::move(req), [weak_self = weak_from_this(), run](run_report report) {
            if (auto self = weak_self.lock()) self->finish_run(run, std::move(report));
        });
        if (run->claim.cancel_requested) send_cancel(*run);
    }

    // The session keeps these hooks (and `done`) while the run owns the session (run->handle):
    // they hold the worker weakly, and forget() drops the handle, so neither the worker nor a
    // finished run is kept alive by a cycle. A hook finding the worker gone does nothing.
    void add_durability(run_request& req, const std::shared_ptr<active_run>& run) {
        std::weak_ptr<state> weak_self = weak_from_this();
        req.durability.recorded = [run](const std::string& path) -> const node_result* {
            auto it = run->journal.find(path);
            return it == run->journal.end() ? nullptr : &it->second.result;
        };
        req.durability.commit = [weak_self, run](const run_machine& machine, node_key key, const std::string& path,
                                                 const node_result& result, std::function<void(bool)> committed) {
            auto self = weak_self.lock();
            if (!self) return committed(false);
            node_row row = self->make_row(*run, machine, key, path);
            row.status = result.outcome == node_result::kind::suspend ? "waiting" : "succeeded";
            row.output = result.output;
            if (result.route) {
                json::array handles;
                for (const auto& h : *result.route) handles.emplace_back(h);
                row.route = std::move(handles);
            }
            row.resume_at_ms = result.outcome == node_result::kind::suspend ? result.resume_at_ms : 0;
            row.finished_ms = unix_now_ms();
            run->stored[path] = {row.attempt, result.outcome == node_result::kind::success};
            // A commit that did not store (lease lost, database error) ends the run here; its
            // lease lapses and it continues from its last commit, here or on another host.
            self->writer->commit_node(std::move(row), [self, run, committed = std::move(committed)](bool stored) {
                if (!stored)
                    net::post(self->strand, [self, run] {
                        self->error("run " + run->claim.run_id + ": a result could not be stored; the run is left "
                                    "to be continued from its last commit");
                        self->forget(run->claim.run_id);
                    });
                committed(stored);
            });
        };
        req.durability.idle = [weak_self, run](int64_t until_ms) {
            auto self = weak_self.lock();
            if (!self) return;
            if (run->parking || until_ms - unix_now_ms() < self->opt.park_after_ms) return;
            run->parking = true;
            run_park park{run->claim.run_id, until_ms, run->claim.correlation_id, {}};
            // The plugins' lines so far go with the park; the rest come with the finish.
            if (self->opt.run_logs)
                park.logs = plugin_log_rows(self->opt.run_logs->take(park.run_id), self->opt.run_log_level);
            self->writer->park(std::move(park), [self, run](bool) {
                net::post(self->strand, [self, run] {
                    if (run->handle) run->handle->abandon();
                    self->forget(run->claim.run_id);
                });
            });
        };
    }

    node_row make_row(const active_run& run, const run_machine& machine, node_key key, const std::string& path) const {
        const auto& pn = machine.plan().nodes()[key.node];
        const auto& record = machine.record(key);
        node_row row;
        row.run_id = run.claim.run_id;
        row.node_path = path;
        row.plugin_id = pn.definition->integration;
        row.operation_id = pn.definition->action;
        row.input = record.input;
        row.attempt = std::max<uint32_t>(1, record.attempt);
        row.idempotency_key = run.claim.run_id + "/" + path;
        row.started_ms = record.started_ms;
        return row;
    }

    // On the run's strand, with the final report.
    void finish_run(const std::shared_ptr<active_run>& run, run_report report) {
        std::vector<node_row> rows;
        const execution_plan* plan = run->compiled->plan.get();
        for (const auto& n : report.nodes) {
            if (n.status == node_status::pending) continue;
            node_row row;
            row.run_id = run->claim.run_id;
            row.node_path = n.item_path.empty() ? n.node_id : n.node_id + "#" + n.item_path;
            if (plan) {
                auto index = plan->index_of(n.node_id);
                if (index >= 0) {
                    row.plugin_id = plan->nodes()[index].definition->integration;
                    row.operation_id = plan->nodes()[index].definition->action;
                }
            }
            row.status = stored_status(n.status);
            row.input = n.input;
            row.output = n.output;
            row.error_code = error_text(n.error, "code");
            row.error_message = error_text(n.error, "message");
            auto stored = run->stored.find(row.node_path);
            row.attempt = stored != run->stored.end() ? stored->second.attempt : std::max<uint32_t>(1, n.attempts);
            row.idempotency_key = run->claim.run_id + "/" + row.node_path;
            row.started_ms = n.started_ms;
            row.finished_ms = n.finished_ms;
            if (opt.node_finished) opt.node_finished(row);
            // A success committed during the run (or replayed from an earlier one) is stored
            // already: writing it again would only cost an update of the same row.
            if (n.status == node_status::succeeded && stored != run->stored.end() && stored->second.succeeded) continue;
            rows.push_back(std::move(row));
        }
        run_finish fin;
        fin.run_id = run->claim.run_id;
        fin.status = to_string(report.status);
        fin.error_code = error_text(report.error, "code");
        fin.error_message = error_text(report.error, "message");
        fin.error_node = error_text(report.error, "node");
        fin.correlation_id = run->claim.correlation_id;
        fin.logs = run_log_lines(report, opt.run_logs ? opt.run_logs->take(fin.run_id) : std::vector<run_log_line>{},
                                 opt.run_log_level);
        run->finishing = true;
        auto outcome = std::make_shared<run_outcome>();
        outcome->run_id = fin.run_id;
        outcome->status = fin.status;
        outcome->error = report.error;
        outcome->report = to_json(report);
        auto self = shared_from_this();
        writer->finish(std::move(fin), std::move(rows), [self, run, outcome](bool stored) {
            if (stored && self->waiters) self->waiters->notify(*outcome);
            net::post(self->strand, [self, run] { self->forget(run->claim.run_id); });
        });
    }

    void forget(const std::string& run_id) {
        // A run parked or left to another host keeps no lines here (they go with its finish).
        if (opt.run_logs) opt.run_logs->take(run_id);
        if (auto it = active.find(run_id); it != active.end()) {
            it->second->handle.reset(); // see add_durability
            active.erase(it);
        }
        active_count = active.size();
        if (draining) {
            if (active.empty()) finish_drain();
            return;
        }
        try_claim();
    }

    void send_cancel(active_run& run) {
        if (run.cancel_sent || !run.handle) return;
        run.cancel_sent = true;
        run.handle->cancel("the run was cancelled");
    }

    // ---- leases --------------------------------------------------------------------------

    void schedule_heartbeat() {
        heartbeat_timer.expires_after(std::chrono::milliseconds(std::max<int64_t>(100, opt.lease_ms / 3)));
        heartbeat_timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (ec) return;
            self->heartbeat();
            self->schedule_heartbeat();
        });
    }

    void heartbeat() {
        if (heartbeat_in_flight) return;
        heartbeat_in_flight = true;
        std::vector<std::string> ids;
        for (const auto& [id, run] : active) ids.push_back(id);
        auto self = shared_from_this();
        // Ahead of the queue: behind a backlog of ingest and claims the renewal could come after
        // the lease lapsed (another host would take live runs over), and a stale list of active
        // runs would make runs claimed meanwhile look stray.
        pool.post_first(
            [self, ids](pqxx::connection& conn) {
                pqxx::work tx(conn);
                auto report = renew_leases(tx, self->opt.owner, self->opt.lease_ms, ids);
                tx.commit();
                net::post(self->strand, [self, ids, report = std::move(report)] { self->leases_renewed(ids, report); });
            },
            [self](std::exception_ptr) { net::post(self->strand, [self] { self->heartbeat_in_flight = false; }); });
    }

    void leases_renewed(const std::vector<std::string>& asked, const lease_report& report) {
        heartbeat_in_flight = false;
        std::unordered_set<std::string> held(report.held.begin(), report.held.end());
        for (const auto& id : asked) {
            auto it = active.find(id);
            if (it == active.end() || held.count(id) || it->second->parking || it->second->finishing) continue;
            // Neither finished nor parked here, yet no longer ours: another host has it now.
            if (it->second->handle) it->second->handle->abandon();
            error("lost the lease of run " + id + "; another host continues it");
            forget(id);
        }
        for (const auto& id : report.cancel_requested) {
            auto it = active.find(id);
            if (it != active.end()) send_cancel(*it->second);
        }
    }

    void schedule_poll() {
        poll_timer.expires_after(opt.poll_interval);
        poll_timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (ec) return;
            self->try_claim();
            self->schedule_poll();
        });
    }

    // ---- drain ---------------------------------------------------------------------------

    void begin_drain(std::chrono::milliseconds grace, std::function<void()> done) {
        draining = true;
        drained = std::move(done);
        poll_timer.cancel();
        if (active.empty()) {
            finish_drain();
            return;
        }
        drain_timer.expires_after(grace);
        drain_timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (!ec) self->release_remaining();
        });
    }

    // Grace is over: the runs still here go back to the queue for another host.
    void release_remaining() {
        std::vector<std::string> ids;
        for (auto& [id, run] : active) {
            if (run->handle) run->handle->abandon();
            run->handle.reset(); // see add_durability
            ids.push_back(id);
        }
        active.clear();
        active_count = 0;
        auto self = shared_from_this();
        release(std::move(ids), [self] { net::post(self->strand, [self] { self->finish_drain(); }); });
    }

    // Gives runs back to the queue on a db thread, then calls `then` (also when it failed: the
    // leases lapse and the runs are taken over).
    void release(std::vector<std::string> ids, std::function<void()> then) {
        pool.post(
            [owner = opt.owner, ids = std::move(ids), then](pqxx::connection& conn) {
                pqxx::work tx(conn);
                release_runs(tx, owner, ids);
                tx.commit();
                then();
            },
            [then](std::exception_ptr) { then(); });
    }

    void finish_drain() {
        drain_timer.cancel();
        heartbeat_timer.cancel();
        if (auto done = std::move(drained)) {
            drained = nullptr;
            done();
        }
    }
};

run_worker::run_worker(net::io_context& ioc, db_pool& pool, const loaded_plugins& plugins, worker_options options,
                       json_log& log, run_waiters* waiters, breaker_registry* breakers)
    : state_(std::make_shared<state>(ioc, pool, plugins, std::move(options), log, waiters, breakers)) {}

run_worker::~run_worker() {
    if (state_->listener) state_->listener->stop();
}

void run_worker::start() {
    auto s = state_;
    std::weak_ptr<state> weak = s;
    s->listener = std::make_unique<queue_listener>(s->pool.conninfo(), [weak] {
        if (auto self = weak.lock()) self->wake();
    });
    s->listener->start();
    net::post(s->strand, [s] {
        s->schedule_heartbeat();
        s->schedule_poll();
        s->try_claim();
    });
}

void run_worker::wake() { state_->wake(); }

void run_worker::drain(std::chrono::milliseconds grace, std::function<void()> done) {
    state_->closing = true;
    if (state_->listener) state_->listener->stop();
    net::post(state_->strand, [s = state_, grace, done = std::move(done)]() mutable {
        s->begin_drain(grace, std::move(done));
    });
}

std::size_t run_worker::active() const { return state_->active_count.load(); }

// ---- hand-off ------------------------------------------------------------------------------

struct run_handoff::impl {
    std::shared_ptr<run_worker::state> worker;
    std::shared_ptr<active_run> run; // set by prepare()
    bool started = false;
};

std::unique_ptr<run_handoff> run_worker::reserve() {
    auto& s = *state_;
    std::size_t held = s.reserved.load();
    do {
        if (s.closing || s.active_count.load() + held >= s.opt.max_runs) return nullptr;
    } while (!s.reserved.compare_exchange_weak(held, held + 1));
    auto i = std::make_unique<run_handoff::impl>();
    i->worker = state_;
    return std::unique_ptr<run_handoff>(new run_handoff(std::move(i)));
}

run_handoff::run_handoff(std::unique_ptr<impl> i) : impl_(std::move(i)) {}

run_handoff::~run_handoff() {
    if (!impl_->started) --impl_->worker->reserved;
}

const std::string& run_handoff::owner() const { return impl_->worker->opt.owner; }

int64_t run_handoff::lease_ms() const { return impl_->worker->opt.lease_ms; }

void run_handoff::prepare(pqxx::dbtransaction& tx, claimed_run run) {
    std::vector<claimed_run> one;
    one.push_back(std::move(run));
    impl_->run = impl_->worker->prepare(tx, std::move(one)).front();
}

void run_handoff::start() {
    if (impl_->started || !impl_->run) return;
    impl_->started = true;
    auto s = impl_->worker;
    net::post(s->strand, [s, run = impl_->run] {
        --s->reserved;
        if (!s->draining) {
            s->start_run(run);
            return;
        }
        // Drain began between the reservation and the commit: another host runs it.
        s->release({run->claim.run_id}, [] {});
    });
}

} // namespace sr::host
