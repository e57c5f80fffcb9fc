#include "sr/core/engine/run_executor.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json.hpp>

namespace sr::core::engine {

namespace net = boost::asio;
namespace json = boost::json;

int64_t unix_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string node_path(const run_machine& machine, node_key key) {
    std::string path = machine.plan().nodes()[key.node].definition->id;
    std::string items = item_path(machine, key.frame);
    if (!items.empty()) path += "#" + items;
    return path;
}

namespace {

// A parked run resumes from the database; shorter waits stay in memory.
bool needs_commit(const plan_node& pn, const node_result& r) {
    return r.outcome == node_result::kind::suspend || (r.outcome == node_result::kind::success && pn.info->side_effects);
}

// A dry-run does not wait out a delay: the node succeeds at once and says when it would resume.
node_result preview_of_suspend(const node_result& suspend) {
    json::object output;
    if (suspend.output.is_object()) output = suspend.output.as_object();
    output["resume_at_ms"] = suspend.resume_at_ms;
    output["preview"] = true;
    return node_result::success(std::move(output));
}

uint64_t slot_id(node_key key) { return (static_cast<uint64_t>(key.frame) << 32) | key.node; }

node_result to_node_result(const call_outcome& o) {
    json::value output;
    if (!o.output_json.empty()) {
        boost::system::error_code ec;
        output = json::parse(o.output_json, ec);
        if (ec) return node_result::fatal("plugin_bad_output", "the plugin's output is not JSON");
    }
    switch (o.kind) {
    case SR_RESULT_SUCCESS: {
        if (o.route_json.empty()) return node_result::success(std::move(output));
        // The plugin runtime has checked that route_json is an array of strings.
        const json::value handles = json::parse(o.route_json);
        std::vector<std::string> route;
        for (const auto& h : handles.as_array()) route.emplace_back(h.as_string());
        return node_result::success(std::move(output), std::move(route));
    }
    case SR_RESULT_RETRYABLE_ERROR:
        return node_result::retryable(o.error_code, o.error_message, o.retry_after_ms);
    case SR_RESULT_SUSPEND:
        return node_result::suspend(o.resume_at_unix_ms, std::move(output));
    default:
        return node_result::fatal(o.error_code.empty() ? "action_execution_failed" : o.error_code, o.error_message);
    }
}

class run_session final : public run_handle, public std::enable_shared_from_this<run_session> {
public:
    run_session(net::any_io_executor io, const plugin_directory& plugins, breaker_registry* breakers,
                run_request request, std::function<void(run_report)> done, std::shared_ptr<run_observer> observer)
        : strand_(net::make_strand(io)), plugins_(plugins), request_(std::move(request)),
          machine_(request_.plan, make_options(breakers)), done_(std::move(done)), observer_(std::move(observer)),
          run_timer_(strand_) {}

    void start() {
        net::post(strand_, [self = shared_from_this()] {
            const int64_t timeout = self->request_.plan->definition().settings.timeout_ms;
            if (timeout > 0) self->arm_run_deadline(timeout);
            std::vector<run_action> actions;
            self->machine_.start(std::move(self->request_.trigger_output), unix_now_ms(), actions);
            self->process(actions);
        });
    }

    void cancel(std::string reason) override {
        net::post(strand_, [self = shared_from_this(), reason = std::move(reason)]() mutable {
            std::vector<run_action> actions;
            self->machine_.cancel(std::move(reason), unix_now_ms(), actions);
            self->process(actions);
        });
    }

    void pause() override {
        net::post(strand_, [self = shared_from_this()] { self->machine_.pause(); });
    }

    void resume() override {
        net::post(strand_, [self = shared_from_this()] {
            std::vector<run_action> actions;
            self->machine_.resume(unix_now_ms(), actions);
            self->process(actions);
        });
    }

    void abandon() override {
        net::post(strand_, [self = shared_from_this()] { self->stop_driving(); });
    }

private:
    struct call_slot {
        uint32_t attempt = 0;
        std::shared_ptr<cancel_signal> cancel;
        std::unique_ptr<net::steady_timer> deadline;
    };

    machine_options make_options(breaker_registry* breakers) {
        machine_options o;
        o.renderer = request_.renderer;
        o.breakers = breakers;
        return o;
    }

    void arm_run_deadline(int64_t timeout_ms) {
        run_timer_.expires_after(std::chrono::milliseconds(timeout_ms));
        run_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (ec) return;
            std::vector<run_action> actions;
            self->machine_.cancel("the run exceeded its timeout", unix_now_ms(), actions, run_status::failed,
                                  "scenario_timeout");
            self->process(actions);
        });
    }

    // Runs the machine's actions; answers produced synchronously (dry-run previews, missing
    // plugins) feed back into the same loop.
    void process(std::vector<run_action>& actions) {
        while (!actions.empty() && !abandoned_) {
            std::vector<run_action> batch;
            batch.swap(actions);
            for (auto& a : batch) handle(a, actions);
        }
        report_idle();
    }

    // Tells a durable host when the run has nothing to do but wait for suspended nodes.
    void report_idle() {
        if (abandoned_ || !request_.durability.idle || !slots_.empty() || commits_ > 0 || waits_.empty()) return;
        int64_t earliest = INT64_MAX;
        for (const auto& [id, w] : waits_) {
            if (machine_.record(w.key).status != node_status::suspended) return;
            earliest = std::min(earliest, w.at_ms);
        }
        request_.durability.idle(earliest);
    }

    void stop_driving() {
        if (abandoned_) return;
        abandoned_ = true;
        done_ = nullptr;
        run_timer_.cancel();
        for (auto& [id, w] : waits_) w.timer->cancel();
        waits_.clear();
        for (auto& [id, slot] : slots_) {
            if (slot.cancel) slot.cancel->cancel();
            if (slot.deadline) slot.deadline->cancel();
        }
        slots_.clear();
    }

    void handle(run_action& a, std::vector<run_action>& out) {
        switch (a.type) {
        case run_action::kind::invoke: invoke(a.key, a.attempt, out); break;
        case run_action::kind::wait: wait(a.key, a.at_ms); break;
        case run_action::kind::cancel_call: cancel_call(a.key); break;
        case run_action::kind::compensate: compensate(a, out); break;
        case run_action::kind::finished: finish(); break;
        }
    }

    std::string idempotency_key(node_key key) const { return request_.run_id + "/" + node_path(machine_, key); }

    call_request make_call(node_key key, uint32_t attempt, const plan_node& pn) const {
        const scenario_node& def = *pn.definition;
        call_request req;
        req.kind = SR_CALL_ACTION;
        req.target = def.action;
        req.settings_json = json::serialize(machine_.record(key).input);
        if (!def.connection_id.empty() && request_.connections) req.connection_json = request_.connections(def.connection_id);
        req.run_id = request_.run_id;
        req.node_id = def.id;
        req.correlation_id = request_.correlation_id;
        req.idempotency_key = idempotency_key(key);
        req.scope = request_.scope_prefix + "/" + def.id;
        req.attempt = attempt;
        req.deadline_unix_ms = unix_now_ms() + pn.timeout_ms;
        return req;
    }

    void invoke(node_key key, uint32_t attempt, std::vector<run_action>& out) {
        const plan_node& pn = request_.plan->nodes()[key.node];
        if (observer_) observer_->node_started(machine_, key, attempt);
        if (request_.dry_run && pn.info->side_effects) {
            previews_.insert(slot_id(key));
            answer(key, node_result::success(pn.info->sample_output), out);
            return;
        }
        if (request_.durability.recorded) {
            if (const node_result* recorded = request_.durability.recorded(node_path(machine_, key))) {
                answer(key, *recorded, out);
                return;
            }
        }
        auto plugin = plugins_.find(pn.definition->integration, pn.definition->plugin_major);
        if (!plugin) {
            answer(key, node_result::fatal("plugin_unavailable", "no loaded plugin '" + pn.definition->integration +
                                                                    "' with major " +
                                                                    std::to_string(pn.definition->plugin_major)),
                   out);
            return;
        }
        call_slot& slot = slots_[slot_id(key)];
        slot.attempt = attempt;
        slot.deadline = std::make_unique<net::steady_timer>(strand_, std::chrono::milliseconds(pn.timeout_ms));
        slot.deadline->async_wait([self = shared_from_this(), key, attempt](boost::system::error_code ec) {
            if (!ec) self->on_deadline(key, attempt);
        });
        std::weak_ptr<run_session> weak = shared_from_this();
        auto strand = strand_;
        slot.cancel = plugin->invoke(make_call(key, attempt, pn), [weak, strand, key, attempt](call_outcome o) {
            // Any thread: hop onto the run's strand before touching the machine.
            net::post(strand, [weak, key, attempt, o = std::move(o)] {
                if (auto self = weak.lock()) self->on_outcome(key, attempt, o);
            });
        });
    }

    void on_outcome(node_key key, uint32_t attempt, const call_outcome& o) {
        auto it = slots_.find(slot_id(key));
        if (it == slots_.end() || it->second.attempt != attempt) return; // timed out already
        slots_.erase(it);
        node_result result = to_node_result(o);
        if (request_.dry_run && result.outcome == node_result::kind::suspend) result = preview_of_suspend(result);
        const plan_node& pn = request_.plan->nodes()[key.node];
        if (request_.durability.commit && needs_commit(pn, result)) {
            commit_then_answer(key, std::move(result));
            return;
        }
        std::vector<run_action> out;
        answer(key, std::move(result), out);
        process(out);
    }

    // The machine learns of the result only once it is stored, so dependents never run on a
    // result a crash could lose.
    void commit_then_answer(node_key key, node_result result) {
        ++commits_;
        auto shared = std::make_shared<node_result>(std::move(result));
        std::weak_ptr<run_session> weak = shared_from_this();
        auto strand = strand_;
        request_.durability.commit(machine_, key, node_path(machine_, key), *shared, [weak, strand, key, shared](bool ok) {
            net::post(strand, [weak, key, shared, ok] {
                auto self = weak.lock();
                if (!self || self->abandoned_) return;
                --self->commits_;
                if (!ok) {
                    self->stop_driving();
                    return;
                }
                std::vector<run_action> out;
                self->answer(key, std::move(*shared), out);
                self->process(out);
            });
        });
    }

    void on_deadline(node_key key, uint32_t attempt) {
        auto it = slots_.find(slot_id(key));
        if (it == slots_.end() || it->second.attempt != attempt) return;
        auto cancel = std::move(it->second.cancel);
        slots_.erase(it);
        if (cancel) cancel->cancel();
        std::vector<run_action> out;
        answer(key, node_result::retryable("action_timeout", "the action did not finish within its timeout"), out);
        process(out);
    }

    void answer(node_key key, node_result result, std::vector<run_action>& out) {
        machine_.on_result(key, std::move(result), unix_now_ms(), out);
        if (observer_ && is_terminal(machine_.record(key).status)) observer_->node_finished(machine_, key);
    }

    void wait(node_key key, int64_t at_ms) {
        auto timer = std::make_shared<net::steady_timer>(strand_, std::chrono::milliseconds(std::max<int64_t>(0, at_ms - unix_now_ms())));
        waits_[slot_id(key)] = pending_wait{timer, key, at_ms};
        timer->async_wait([self = shared_from_this(), key, timer](boost::system::error_code ec) {
            if (ec) return;
            self->waits_.erase(slot_id(key));
            std::vector<run_action> out;
            self->machine_.on_timer(key, unix_now_ms(), out);
            if (self->observer_ && is_terminal(self->machine_.record(key).status))
                self->observer_->node_finished(self->machine_, key);
            self->process(out);
        });
    }

    void cancel_call(node_key key) {
        auto it = slots_.find(slot_id(key));
        if (it != slots_.end() && it->second.cancel) it->second.cancel->cancel();
    }

    void compensate(const run_action& a, std::vector<run_action>& out) {
        const plan_node& pn = request_.plan->nodes()[a.key.node];
        auto plugin = request_.dry_run ? nullptr : plugins_.find(pn.definition->integration, pn.definition->plugin_major);
        if (!plugin) {
            machine_.on_compensated(a.key, request_.dry_run, unix_now_ms(), out);
            return;
        }
        call_request req = make_call(a.key, 1, pn);
        req.target = a.action;
        req.settings_json = json::serialize(a.input);
        req.idempotency_key += "/compensate";
        std::weak_ptr<run_session> weak = shared_from_this();
        auto strand = strand_;
        node_key key = a.key;
        plugin->invoke(std::move(req), [weak, strand, key](call_outcome o) {
            net::post(strand, [weak, key, ok = o.kind == SR_RESULT_SUCCESS] {
                auto self = weak.lock();
                if (!self || self->abandoned_) return;
                std::vector<run_action> next;
                self->machine_.on_compensated(key, ok, unix_now_ms(), next);
                self->process(next);
            });
        });
    }

    void finish() {
        run_timer_.cancel();
        for (auto& [id, w] : waits_) w.timer->cancel();
        waits_.clear();
        if (!done_) return;
        auto done = std::move(done_);
        done(make_report(machine_, [this](node_key k) { return previews_.count(slot_id(k)) > 0; }));
    }

    net::strand<net::any_io_executor> strand_;
    const plugin_directory& plugins_;
    run_request request_;
    run_machine machine_;
    std::function<void(run_report)> done_;
    std::shared_ptr<run_observer> observer_;
    net::steady_timer run_timer_;
    std::unordered_map<uint64_t, call_slot> slots_;
    struct pending_wait {
        std::shared_ptr<net::steady_timer> timer;
        node_key key;
        int64_t at_ms = 0;
    };
    std::unordered_map<uint64_t, pending_wait> waits_;
    uint32_t commits_ = 0;     // results being stored by the durable host
    bool abandoned_ = false;
    std::set<uint64_t> previews_;
};

} // namespace

run_executor::run_executor(net::any_io_executor io, const plugin_directory& plugins, breaker_registry* breakers)
    : io_(std::move(io)), plugins_(plugins), breakers_(breakers) {}

std::shared_ptr<run_handle> run_executor::start(run_request request, std::function<void(run_report)> done,
                                                std::shared_ptr<run_observer> observer) {
    auto session = std::make_shared<run_session>(io_, plugins_, breakers_, std::move(request), std::move(done),
                                                 std::move(observer));
    session->start();
    return session;
}

} // namespace sr::core::engine
