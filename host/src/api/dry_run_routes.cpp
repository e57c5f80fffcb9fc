// POST /api/v1/scenarios/{scenario}/dry-run: runs the draft graph (or a published version) on
// the engine with run_request::dry_run, against the loaded plugins. Side-effect actions answer
// with their manifest's sample output (marked "preview"); side-effect-free actions really run.
// The answer is the run report: every node's input, output, error and status, and the path
// taken. Nothing is written: no run, no node run, no audit row (nothing changes). The run goes
// on the host's io_context and the answer is sent when it ends, or when its timeout passes.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "api/api_error.hpp"
#include "api/api_routes.hpp"
#include "api/deferred_route.hpp"
#include "api/request_json.hpp"
#include "connections/connection_repository.hpp"
#include "http/problem.hpp"
#include "store/problem_json.hpp"
#include "store/scenario_repository.hpp"
#include "store/store_error.hpp"
#include "sr/core/engine/run_executor.hpp"
#include "sr/core/mapping/template_renderer.hpp"
#include "sr/core/validation/scenario_validator.hpp"

namespace sr::host {
namespace {

namespace json = boost::json;
namespace net = boost::asio;
using namespace core::engine;

constexpr std::int64_t default_timeout_ms = 10'000;
constexpr std::int64_t max_timeout_ms = 60'000;
// After a timed-out dry-run is cancelled, how long its report may take to come back before
// the answer is a bare 504.
constexpr auto cancel_grace = std::chrono::seconds(2);

struct dry_run_input {
    std::optional<json::value> trigger; // absent: the trigger's manifest sample output
    std::optional<std::int64_t> version; // absent: the draft
    std::int64_t timeout_ms = default_timeout_ms;
};

dry_run_input read_input(const http_request& request) {
    auto body = body_object(request, true);
    for (const auto& [key, value] : body)
        if (key != "trigger" && key != "version" && key != "timeout_ms")
            throw api_error(400, "invalid_input", "unknown field '" + std::string(key) + "'", {{"field", key}});
    dry_run_input in;
    if (const auto* t = body.if_contains("trigger"); t && !t->is_null()) in.trigger = *t;
    in.version = integer_member(body, "version");
    if (in.version && (*in.version < 1 || *in.version > INT32_MAX))
        throw invalid_field("version", "a version number (1 or more)");
    auto timeout = integer_member(body, "timeout_ms");
    if (timeout && (*timeout < 1 || *timeout > max_timeout_ms))
        throw invalid_field("timeout_ms", "an integer from 1 to " + std::to_string(max_timeout_ms));
    if (timeout) in.timeout_ms = *timeout;
    return in;
}

json::value load_graph(api_call& call, const scenario_row& scenario, const dry_run_input& in) {
    if (!in.version) return scenario.draft_graph.is_object() ? scenario.draft_graph : json::value(json::object{});
    auto rows = call.tx.exec_params("SELECT definition::text FROM scenario_versions WHERE scenario_id = $1::uuid "
                                    "AND number = $2",
                                    scenario.id, static_cast<int>(*in.version));
    if (rows.empty()) throw api_error(404, "not_found", "no version " + std::to_string(*in.version));
    return json::parse(rows[0][0].c_str());
}

using credential_map = std::unordered_map<std::string, std::string>;

// Credentials of the connections that nodes which really run need (side-effect-free actions;
// previews call nothing), opened in this transaction and held only by the run.
std::shared_ptr<const credential_map> open_connections(api_call& call, const execution_plan& plan) {
    auto out = std::make_shared<credential_map>();
    if (!call.ctx.keys) return out;
    for (const auto& node : plan.nodes()) {
        const auto& id = node.definition->connection_id;
        if (id.empty() || !node.info || node.info->side_effects || out->count(id)) continue;
        try {
            pqxx::subtransaction sub(call.tx, "dry_run_credentials");
            (*out)[id] = open_credentials(sub, *call.ctx.keys, call.who.org_id, id);
            sub.commit();
        } catch (const std::exception&) {
            // The node gets no credentials and its plugin reports connection_invalid; the
            // reason stays out of the answer because it may describe the sealed row.
            (*out)[id] = "";
        }
    }
    return out;
}

std::string next_run_id() {
    static std::atomic<std::uint64_t> counter{0};
    return "dry-run-" + std::to_string(unix_now_ms()) + "-" + std::to_string(++counter);
}

// One dry-run in flight; touched only on its strand. Whichever comes first answers: the
// report, or the timeout (then the run is cancelled and its report, if it comes within the
// grace, is the answer with "timed_out": true).
struct dry_run_session : std::enable_shared_from_this<dry_run_session> {
    dry_run_session(net::any_io_executor io, respond_fn r, json::object h)
        : io(io), strand(net::make_strand(io)), timer(strand), respond(std::move(r)), head(std::move(h)) {}

    void start(const plugin_directory& plugins, run_request request, std::chrono::milliseconds timeout) {
        auto self = shared_from_this();
        net::post(strand, [self, &plugins, request = std::move(request), timeout]() mutable {
            // Breakers are left out: a preview must not open (or close) a production circuit.
            run_executor executor(self->io, plugins, nullptr);
            self->timer.expires_after(timeout);
            self->timer.async_wait([self](boost::system::error_code ec) {
                if (!ec) self->on_timeout();
            });
            self->handle = executor.start(std::move(request), [self](run_report report) {
                net::post(self->strand, [self, report = std::move(report)] { self->finish(report); });
            });
        });
    }

    void on_timeout() {
        if (answered) return;
        if (!timed_out) {
            timed_out = true;
            if (handle) handle->cancel("the dry-run exceeded its timeout");
            timer.expires_after(cancel_grace);
            timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
                if (!ec) self->on_timeout();
            });
            return;
        }
        answered = true;
        if (handle) handle->abandon();
        respond(problem_response(504, "dry_run_timeout", "Gateway Timeout",
                                 "the dry-run did not finish within its timeout"));
    }

    void finish(const run_report& report) {
        if (answered) return;
        answered = true;
        timer.cancel();
        json::object out = to_json(report).as_object();
        for (const auto& [key, value] : head) out[key] = value;
        out["timed_out"] = timed_out;
        out["duration_ms"] = report.finished_ms > report.started_ms ? report.finished_ms - report.started_ms : 0;
        respond(json_response(200, out));
    }

    net::any_io_executor io;
    net::strand<net::any_io_executor> strand;
    net::steady_timer timer;
    respond_fn respond;
    json::object head; // dry_run, scenario_id, version, warnings
    std::shared_ptr<run_handle> handle;
    bool answered = false;
    bool timed_out = false;
};

api_continuation dry_run(api_call& call) {
    auto in = read_input(call.request);
    auto scenario = find_scenario(call.tx, call.who.org_id, call.param("scenario"));
    if (!scenario) throw api_error(404, "not_found", "no scenario '" + call.param("scenario") + "'");
    if (!call.ctx.plugins || !call.ctx.io)
        throw api_error(503, "plugins_unavailable", "dry-runs are not available on this host");
    auto graph = load_graph(call, *scenario, in);
    auto checked = core::validation::validate_scenario(graph, call.ctx.catalog);
    if (!checked.ok())
        throw store_error("validation_failed", "the scenario has problems; nothing ran",
                          problems_to_json(checked.problems));
    if (!checked.plan) throw std::runtime_error("a valid scenario compiled to no plan");

    run_request request;
    request.plan = checked.plan;
    request.renderer = std::make_shared<core::mapping::template_renderer>(checked.plan);
    const auto& trigger = checked.plan->nodes()[checked.plan->trigger()];
    if (in.trigger)
        request.trigger_output = std::move(*in.trigger);
    else if (trigger.info && !trigger.info->sample_output.is_null())
        request.trigger_output = trigger.info->sample_output;
    else
        request.trigger_output = json::object();
    request.run_id = next_run_id();
    request.correlation_id = request.run_id;
    request.scope_prefix = scenario->id;
    request.dry_run = true;
    auto credentials = open_connections(call, *checked.plan);
    request.connections = [credentials](const std::string& id) {
        auto it = credentials->find(id);
        return it == credentials->end() ? std::string() : it->second;
    };

    json::object head{{"dry_run", true},
                      {"scenario_id", scenario->id},
                      {"version", in.version ? json::value(*in.version) : json::value(nullptr)},
                      {"warnings", problems_to_json(checked.warnings)}};
    auto shared_request = std::make_shared<run_request>(std::move(request));
    return [io = call.ctx.io, plugins = call.ctx.plugins, shared_request, head = std::move(head),
            timeout = std::chrono::milliseconds(in.timeout_ms)](respond_fn respond) {
        auto session = std::make_shared<dry_run_session>(io, std::move(respond), head);
        session->start(*plugins, std::move(*shared_request), timeout);
    };
}

} // namespace

void add_dry_run_routes(router& routes, api_context& ctx) {
    routes.add_async("POST", "/api/v1/scenarios/{scenario}/dry-run",
                     authorized_deferred(ctx, permission::scenario_execute, dry_run));
}

} // namespace sr::host
