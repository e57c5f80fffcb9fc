#include "sr/core/engine/run_machine.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>

#include <boost/json.hpp>

#include "sr/core/engine/retry_policy.hpp"

namespace sr::core::engine {

namespace json = boost::json;

const char* to_string(node_status status) {
    switch (status) {
    case node_status::pending: return "pending";
    case node_status::ready: return "ready";
    case node_status::running: return "running";
    case node_status::retry_wait: return "retry_wait";
    case node_status::suspended: return "suspended";
    case node_status::succeeded: return "succeeded";
    case node_status::failed: return "failed";
    case node_status::skipped: return "skipped";
    case node_status::cancelled: return "cancelled";
    }
    return "pending";
}

bool is_terminal(node_status s) {
    return s == node_status::succeeded || s == node_status::failed || s == node_status::skipped ||
           s == node_status::cancelled;
}

const char* to_string(run_status status) {
    switch (status) {
    case run_status::running: return "running";
    case run_status::paused: return "paused";
    case run_status::succeeded: return "succeeded";
    case run_status::failed: return "failed";
    case run_status::cancelled: return "cancelled";
    case run_status::incomplete: return "incomplete";
    }
    return "running";
}

node_result node_result::success(json::value output) {
    node_result r;
    r.output = std::move(output);
    return r;
}

node_result node_result::success(json::value output, std::vector<std::string> handles) {
    node_result r;
    r.output = std::move(output);
    r.route = std::move(handles);
    return r;
}

node_result node_result::retryable(std::string code, std::string message, int64_t retry_after_ms) {
    node_result r;
    r.outcome = kind::retryable_error;
    r.error_code = std::move(code);
    r.error_message = std::move(message);
    r.retry_after_ms = retry_after_ms;
    return r;
}

node_result node_result::fatal(std::string code, std::string message) {
    node_result r;
    r.outcome = kind::fatal_error;
    r.error_code = std::move(code);
    r.error_message = std::move(message);
    return r;
}

node_result node_result::suspend(int64_t resume_at_ms, json::value output) {
    node_result r;
    r.outcome = kind::suspend;
    r.resume_at_ms = resume_at_ms;
    r.output = std::move(output);
    return r;
}

// The data a node's expressions see: its own iteration frame first, then the enclosing ones.
class run_machine::frame_scope final : public data_scope {
public:
    frame_scope(const run_machine& m, uint32_t frame, int64_t now) : m_(m), frame_(frame), now_(now) {}

    const json::value* resolve(std::string_view root, std::string_view field) const override {
        if (root == "vars") {
            for (int32_t f = static_cast<int32_t>(frame_); f >= 0; f = m_.frames_[static_cast<uint32_t>(f)].parent) {
                const json::value& vars = m_.frames_[static_cast<uint32_t>(f)].vars;
                if (!vars.is_object()) continue;
                if (field.empty()) return &vars;
                if (auto* v = vars.get_object().if_contains(field)) return v;
            }
            return nullptr;
        }
        if (root == "trigger") {
            const json::value& out = m_.frames_[0].nodes[m_.plan_->trigger()].output;
            if (field.empty() || field == "output") return &out;
            if (!out.is_object()) return nullptr;
            return out.get_object().if_contains(field);
        }
        int32_t index = m_.plan_->index_of(root);
        if (index == no_node) return nullptr;
        const node_record* r = find(static_cast<uint32_t>(index));
        if (!r) return nullptr;
        if (field.empty() || field == "output") return &r->output;
        if (field == "input") return &r->input;
        if (field == "error") return &r->error;
        return nullptr;
    }

    int64_t now_ms() const override { return now_; }

private:
    const node_record* find(uint32_t node) const {
        for (int32_t f = static_cast<int32_t>(frame_); f >= 0; f = m_.frames_[static_cast<uint32_t>(f)].parent) {
            const node_record& r = m_.frames_[static_cast<uint32_t>(f)].nodes[node];
            if (r.status != node_status::pending && r.status != node_status::ready) return &r;
        }
        return nullptr;
    }

    const run_machine& m_;
    uint32_t frame_;
    int64_t now_;
};

run_machine::run_machine(std::shared_ptr<const execution_plan> plan, machine_options options)
    : plan_(std::move(plan)), options_(std::move(options)) {
    static std::atomic<uint64_t> seed{static_cast<uint64_t>(
        std::chrono::steady_clock::now().time_since_epoch().count())};
    rng_state_ = seed.fetch_add(0x9E3779B97F4A7C15ULL) | 1;
    scope_sizes_.assign(plan_->nodes().size() + 1, 0);
    for (const auto& n : plan_->nodes()) ++scope_sizes_[static_cast<std::size_t>(n.enclosing + 1)];
}

double run_machine::random_unit() {
    if (options_.unit_random) return options_.unit_random();
    // xorshift64*: cheap and good enough to spread retries.
    rng_state_ ^= rng_state_ >> 12;
    rng_state_ ^= rng_state_ << 25;
    rng_state_ ^= rng_state_ >> 27;
    uint64_t x = rng_state_ * 0x2545F4914F6CDD1DULL;
    return static_cast<double>(x >> 11) * (1.0 / 9007199254740992.0);
}

void run_machine::start(json::value trigger_output, int64_t now_ms, std::vector<run_action>& out) {
    frames_.clear();
    frame_state root;
    root.nodes.resize(plan_->nodes().size());
    root.open = scope_size(no_node);
    frames_.push_back(std::move(root));
    iteration_of_frame_.push_back(-1);

    node_key trigger{plan_->trigger(), 0};
    node_record& r = rec(trigger);
    r.attempt = 1;
    r.started_ms = r.finished_ms = now_ms;
    path_.push_back(trigger);
    succeed(trigger, std::move(trigger_output), {}, now_ms);
    dispatch(now_ms, out);
    maybe_finish(now_ms, out);
}

void run_machine::succeed(node_key key, json::value output, route_list route, int64_t now_ms) {
    node_record& r = rec(key);
    r.status = node_status::succeeded;
    r.output = std::move(output);
    r.route = std::move(route);
    r.finished_ms = now_ms;
    r.completion_order = ++completions_;
    const plan_node& pn = pnode(key.node);
    if (pn.info && pn.info->flow == flow_kind::variables && r.output.is_object()) {
        json::value& vars = frames_[key.frame].vars;
        if (!vars.is_object()) vars = json::object();
        for (const auto& [name, value] : r.output.get_object()) vars.get_object()[name] = value;
    }
    const bool stops_run = pn.info && pn.info->flow == flow_kind::stop;
    terminal(key);
    if (stops_run) stop(run_status::succeeded, nullptr); // system.stop: end here, as a success
}

void run_machine::terminal(node_key key) {
    frame_state& f = frames_[key.frame];
    if (pnode(key.node).enclosing == f.iterate) --f.open;
    worklist_.push_back(key);
    // Deciding edges may open iterations (new frames), so it runs from a flat worklist here
    // rather than recursively: a 1,000-node chain of skips stays one loop.
    while (!worklist_.empty()) {
        node_key k = worklist_.back();
        worklist_.pop_back();
        decide_out_edges(k);
        frame_state& fr = frames_[k.frame];
        if (k.frame != 0 && fr.open == 0 && pnode(k.node).enclosing == fr.iterate) frame_done(k.frame);
    }
}

void run_machine::decide_out_edges(node_key key) {
    const plan_node& pn = pnode(key.node);
    const node_record& r = rec(key);
    const bool ok = r.status == node_status::succeeded;
    if (pn.info && pn.info->flow == flow_kind::iterate) {
        if (ok) {
            open_iteration(key);
        } else {
            for (uint32_t a : pn.collectors)
                for (std::size_t i = 0; i < pnode(a).in_edges.size(); ++i) mark_edge(key.frame, a, false);
        }
        return;
    }
    const bool error_routed = r.error_routed;
    const route_list route = r.route; // copied: mark_edge may grow frames_
    const int32_t frame_iterate = frames_[key.frame].iterate;
    for (uint32_t e : pn.out_edges) {
        const plan_edge& edge = plan_->edges()[e];
        if (frame_iterate != no_node && pnode(edge.target).collects == frame_iterate) continue; // at close
        bool taken = false;
        if (edge.kind == edge_kind::success)
            taken = ok && (!route || std::find(route->begin(), route->end(), edge.handle) != route->end());
        else
            taken = error_routed;
        mark_edge(key.frame, edge.target, taken);
    }
}

void run_machine::mark_edge(uint32_t frame, uint32_t target, bool taken) {
    node_record& r = frames_[frame].nodes[target];
    if (r.status != node_status::pending) return; // a merge on "any" already started
    ++r.in_decided;
    if (taken) ++r.in_taken;
    const plan_node& pn = pnode(target);
    if (pn.merge_any && taken) {
        make_ready({target, frame});
    } else if (r.in_decided >= pn.in_edges.size()) {
        if (r.in_taken > 0) make_ready({target, frame});
        else skip({target, frame});
    }
}

void run_machine::make_ready(node_key key) {
    rec(key).status = node_status::ready;
    ready_.push_back(key);
}

void run_machine::skip(node_key key) {
    rec(key).status = node_status::skipped;
    frame_state& f = frames_[key.frame];
    if (pnode(key.node).enclosing == f.iterate) --f.open;
    worklist_.push_back(key);
}

void run_machine::open_iteration(node_key key) {
    const json::value& out = rec(key).output;
    iteration_state it;
    it.iterate = key.node;
    it.parent_frame = key.frame;
    it.items = out.get_object().at("items").get_array();
    it.concurrency = options_.default_concurrency;
    if (auto* c = out.get_object().if_contains("concurrency"); c && c->is_int64() && c->get_int64() > 0)
        it.concurrency = static_cast<uint32_t>(std::min<int64_t>(c->get_int64(), 1024));
    // The iteration keeps its parent frame open until every item is done.
    ++frames_[key.frame].open;
    iterations_.push_back(std::move(it));
    const auto index = static_cast<uint32_t>(iterations_.size() - 1);
    start_frames(index);
}

void run_machine::start_frames(uint32_t index) {
    while (!stopping_) {
        iteration_state& it = iterations_[index];
        if (it.active >= it.concurrency || it.next >= it.items.size()) break;
        const uint32_t item = it.next++;
        ++it.active;
        const uint32_t x = it.iterate;
        frame_state fr;
        fr.parent = static_cast<int32_t>(it.parent_frame);
        fr.iterate = static_cast<int32_t>(x);
        fr.item = item;
        fr.open = scope_size(static_cast<int32_t>(x));
        fr.nodes.resize(plan_->nodes().size());
        node_record& self = fr.nodes[x];
        self.status = node_status::succeeded;
        self.output = json::object{{"item", it.items[item]}, {"index", item}, {"total", it.items.size()}};
        const auto frame = static_cast<uint32_t>(frames_.size());
        it.frames.push_back(frame);
        frames_.push_back(std::move(fr));
        iteration_of_frame_.push_back(static_cast<int32_t>(index));
        for (uint32_t e : pnode(x).out_edges) {
            uint32_t t = plan_->edges()[e].target;
            if (pnode(t).collects != static_cast<int32_t>(x)) mark_edge(frame, t, true);
        }
        if (frames_[frame].open == 0) { // an empty body: the item is done at once
            frames_[frame].open = UINT32_MAX;
            --iterations_[index].active;
            ++iterations_[index].done;
        }
    }
    iteration_state& it = iterations_[index];
    if (it.done == it.items.size() && !it.closed) {
        it.closed = true;
        close_iteration(index);
    }
}

void run_machine::frame_done(uint32_t frame) {
    const auto index = static_cast<uint32_t>(iteration_of_frame_[frame]);
    iteration_state& it = iterations_[index];
    --it.active;
    ++it.done;
    frames_[frame].open = UINT32_MAX; // done; never counted again
    start_frames(index);
}

void run_machine::close_iteration(uint32_t index) {
    const iteration_state& it = iterations_[index];
    const uint32_t parent = it.parent_frame;
    const plan_node& x = pnode(it.iterate);
    auto in_iteration = [&](uint32_t node) {
        return node == it.iterate || std::binary_search(x.body.begin(), x.body.end(), node);
    };
    for (uint32_t a : x.collectors) {
        json::array items;
        for (uint32_t frame : it.frames) {
            for (uint32_t e : pnode(a).in_edges) {
                const node_record& src = frames_[frame].nodes[plan_->edges()[e].source];
                if (src.status == node_status::succeeded) {
                    items.push_back(src.output);
                    break;
                }
            }
        }
        frames_[parent].nodes[a].collected = std::move(items);
        for (uint32_t e : pnode(a).in_edges)
            if (in_iteration(plan_->edges()[e].source)) mark_edge(parent, a, true);
    }
    frame_state& pf = frames_[parent];
    --pf.open;
    if (parent != 0 && pf.open == 0) frame_done(parent);
}

void run_machine::dispatch(int64_t now_ms, std::vector<run_action>& out) {
    const uint32_t limit = plan_->definition().settings.max_parallel;
    while (!paused_ && !stopping_ && !ready_.empty() && running_ < limit) {
        node_key key = ready_.front();
        ready_.pop_front();
        invoke(key, now_ms, out);
    }
}

void run_machine::invoke(node_key key, int64_t now_ms, std::vector<run_action>& out) {
    node_record& r = rec(key);
    if (++r.attempt == 1) {
        r.started_ms = now_ms;
        path_.push_back(key);
    }
    r.status = node_status::running;
    ++running_;
    try {
        r.input = options_.renderer->render(key.node, frame_scope(*this, key.frame, now_ms));
        if (!r.collected.is_null()) {
            if (!r.input.is_object()) r.input = json::object();
            r.input.get_object()["items"] = r.collected;
        }
    } catch (const std::exception& e) {
        apply_result(key, node_result::fatal("mapping_failed", e.what()), now_ms, out);
        return;
    }
    int64_t retry_in = 0;
    if (!breaker_allows(key, now_ms, retry_in)) {
        apply_result(key, node_result::retryable("circuit_open", "the service's circuit breaker is open", retry_in),
                     now_ms, out);
        return;
    }
    run_action a;
    a.type = run_action::kind::invoke;
    a.key = key;
    a.attempt = r.attempt;
    out.push_back(std::move(a));
}

std::string run_machine::breaker_key(uint32_t node) const {
    const auto* def = pnode(node).definition;
    if (def->connection_id.empty()) return {};
    return breaker_registry::key_for(def->integration, def->connection_id);
}

bool run_machine::breaker_allows(node_key key, int64_t now_ms, int64_t& retry_in_ms) {
    if (!options_.breakers) return true;
    std::string k = breaker_key(key.node);
    if (k.empty()) return true;
    breaker_decision d = options_.breakers->acquire(k, now_ms);
    retry_in_ms = d.retry_in_ms;
    return d.allowed;
}

void run_machine::breaker_record(node_key key, bool service_failure, int64_t now_ms) {
    if (!options_.breakers) return;
    std::string k = breaker_key(key.node);
    if (!k.empty()) options_.breakers->record(k, service_failure, now_ms);
}

void run_machine::on_result(node_key key, node_result result, int64_t now_ms, std::vector<run_action>& out) {
    if (finished_ || key.frame >= frames_.size() || rec(key).status != node_status::running) return; // stale
    apply_result(key, std::move(result), now_ms, out);
    dispatch(now_ms, out);
    maybe_finish(now_ms, out);
}

void run_machine::apply_result(node_key key, node_result result, int64_t now_ms, std::vector<run_action>& out) {
    --running_;
    node_record& r = rec(key);
    const plan_node& pn = pnode(key.node);
    if (result.error_code != "circuit_open")
        breaker_record(key, result.outcome == node_result::kind::retryable_error, now_ms);

    if (result.outcome == node_result::kind::success && pn.info && pn.info->flow == flow_kind::iterate) {
        const auto* items = result.output.is_object() ? result.output.get_object().if_contains("items") : nullptr;
        if (!items || !items->is_array())
            result = node_result::fatal("invalid_iterate_output", "an iterate node must output {\"items\": [...]}");
    }
    switch (result.outcome) {
    case node_result::kind::success:
        succeed(key, std::move(result.output), std::move(result.route), now_ms);
        break;
    case node_result::kind::suspend:
        r.status = node_status::suspended;
        r.output = std::move(result.output);
        ++waiting_;
        out.push_back({run_action::kind::wait, key, r.attempt, result.resume_at_ms, {}, {}});
        break;
    case node_result::kind::retryable_error:
        if (may_retry(pn.definition->retry, r.attempt) && !stopping_) {
            int64_t delay = retry_delay_ms(pn.definition->retry, r.attempt + 1, random_unit(), result.retry_after_ms);
            r.status = node_status::retry_wait;
            r.error = json::object{{"code", result.error_code}, {"message", result.error_message}};
            ++waiting_;
            out.push_back({run_action::kind::wait, key, r.attempt, now_ms + delay, {}, {}});
        } else {
            fail(key, std::move(result.error_code), std::move(result.error_message), now_ms);
        }
        break;
    case node_result::kind::fatal_error:
        fail(key, std::move(result.error_code), std::move(result.error_message), now_ms);
        break;
    }
}

void run_machine::on_timer(node_key key, int64_t now_ms, std::vector<run_action>& out) {
    if (finished_ || key.frame >= frames_.size()) return;
    node_record& r = rec(key);
    if (r.status == node_status::retry_wait) {
        --waiting_;
        r.status = node_status::ready;
        ready_.push_front(key); // a retry goes ahead of nodes that have not started yet
    } else if (r.status == node_status::suspended) {
        --waiting_;
        succeed(key, std::move(r.output), {}, now_ms);
    } else {
        return; // cancelled meanwhile
    }
    dispatch(now_ms, out);
    maybe_finish(now_ms, out);
}

void run_machine::fail(node_key key, std::string code, std::string message, int64_t now_ms) {
    node_record& r = rec(key);
    const plan_node& pn = pnode(key.node);
    json::value error = json::object{{"code", code}, {"message", message}};
    r.error = error;
    r.finished_ms = now_ms;
    json::value run_error = json::object{{"code", std::move(code)}, {"message", std::move(message)},
                                         {"node", pn.definition->id}};
    switch (pn.definition->on_error) {
    case error_directive::resume:
        r.status = node_status::succeeded;
        r.output = pn.definition->fallback_output;
        r.route.reset();
        r.completion_order = ++completions_;
        terminal(key);
        return;
    case error_directive::ignore:
        r.status = node_status::failed;
        r.ignored = true;
        terminal(key);
        return;
    case error_directive::none:
        r.status = node_status::failed;
        if (pn.has_error_edges) {
            r.error_routed = true;
            terminal(key);
            return;
        }
        stop(run_status::failed, std::move(run_error));
        terminal(key);
        return;
    case error_directive::break_:
        r.status = node_status::failed;
        stop(run_status::incomplete, std::move(run_error));
        terminal(key);
        return;
    case error_directive::commit:
        r.status = node_status::failed;
        stop(run_status::succeeded, std::move(run_error));
        terminal(key);
        return;
    case error_directive::rollback:
        r.status = node_status::failed;
        if (!stopping_) rollback_ = true;
        stop(run_status::failed, std::move(run_error));
        terminal(key);
        return;
    }
}

void run_machine::stop(run_status outcome, json::value error) {
    if (stopping_) return; // the first reason to stop is the run's outcome
    stopping_ = true;
    outcome_ = outcome;
    run_error_ = std::move(error);
    ready_.clear();
    for (auto& f : frames_)
        for (auto& r : f.nodes)
            if (r.status == node_status::retry_wait || r.status == node_status::suspended) {
                r.status = node_status::cancelled;
                --waiting_;
            }
}

void run_machine::cancel(std::string reason, int64_t now_ms, std::vector<run_action>& out, run_status outcome,
                         std::string code) {
    if (finished_) return;
    stop(outcome, json::object{{"code", std::move(code)}, {"message", std::move(reason)}});
    for (uint32_t f = 0; f < frames_.size(); ++f)
        for (uint32_t n = 0; n < frames_[f].nodes.size(); ++n)
            if (frames_[f].nodes[n].status == node_status::running)
                out.push_back({run_action::kind::cancel_call, {n, f}, frames_[f].nodes[n].attempt, 0, {}, {}});
    maybe_finish(now_ms, out);
}

void run_machine::pause() {
    if (!finished_) paused_ = true;
}

void run_machine::resume(int64_t now_ms, std::vector<run_action>& out) {
    if (finished_) return;
    paused_ = false;
    status_ = run_status::running;
    dispatch(now_ms, out);
    maybe_finish(now_ms, out);
}

void run_machine::maybe_finish(int64_t now_ms, std::vector<run_action>& out) {
    if (finished_ || compensating_ || running_ > 0) return;
    if (!stopping_) {
        if (paused_) {
            status_ = run_status::paused;
            return;
        }
        if (frames_[0].open > 0 || waiting_ > 0 || !ready_.empty()) return;
        outcome_ = run_status::succeeded;
    } else if (rollback_) {
        compensating_ = true;
        for (uint32_t f = 0; f < frames_.size(); ++f)
            for (uint32_t n = 0; n < frames_[f].nodes.size(); ++n) {
                const node_record& r = frames_[f].nodes[n];
                const plan_node& pn = pnode(n);
                if (r.status == node_status::succeeded && pn.info && pn.info->side_effects && pn.info->compensation)
                    compensations_.push_back({n, f});
            }
        std::sort(compensations_.begin(), compensations_.end(), [this](node_key a, node_key b) {
            return record(a).completion_order > record(b).completion_order;
        });
        next_compensation(now_ms, out);
        return;
    }
    finish(out);
}

void run_machine::next_compensation(int64_t now_ms, std::vector<run_action>& out) {
    while (!compensations_.empty()) {
        node_key key = compensations_.front();
        compensations_.erase(compensations_.begin());
        const plan_node& pn = pnode(key.node);
        run_action a;
        a.type = run_action::kind::compensate;
        a.key = key;
        a.action = pn.info->compensation->action;
        try {
            a.input = options_.renderer->render_compensation(key.node, pn.info->compensation->input,
                                                             frame_scope(*this, key.frame, now_ms));
        } catch (const std::exception& e) {
            compensation_failures_.push_back(json::object{{"node", pn.definition->id}, {"error", e.what()}});
            continue;
        }
        out.push_back(std::move(a));
        return;
    }
    finish(out);
}

void run_machine::on_compensated(node_key key, bool ok, int64_t now_ms, std::vector<run_action>& out) {
    if (finished_ || !compensating_) return;
    if (!ok) compensation_failures_.push_back(json::object{{"node", pnode(key.node).definition->id}});
    next_compensation(now_ms, out);
}

void run_machine::finish(std::vector<run_action>& out) {
    for (uint32_t f = 0; f < frames_.size(); ++f)
        for (uint32_t n = 0; n < frames_[f].nodes.size(); ++n) {
            node_record& r = frames_[f].nodes[n];
            if ((r.status == node_status::pending || r.status == node_status::ready) &&
                pnode(n).enclosing == frames_[f].iterate)
                r.status = node_status::skipped;
        }
    if (rollback_ && run_error_.is_object()) {
        run_error_.get_object()["rolled_back"] = true;
        if (!compensation_failures_.empty()) run_error_.get_object()["compensation_failures"] = compensation_failures_;
    }
    finished_ = true;
    status_ = outcome_;
    run_action a;
    a.type = run_action::kind::finished;
    out.push_back(std::move(a));
}

} // namespace sr::core::engine
