#include "webhooks/webhook_routes.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <pqxx/except>

#include <exception>
#include <algorithm>
#include <memory>

#include "http/problem.hpp"
#include "security/vault_error.hpp"
#include "webhooks/ingest_batcher.hpp"
#include "webhooks/manual_trigger.hpp"

namespace sr::host {
namespace {

void on_delivery(ingest_batcher& batcher, const http_request& request, const route_params& params,
                 respond_fn respond) {
    batcher.submit(pending_delivery{&request, std::string(*params.get("endpoint")), std::move(respond)});
}

void on_manual_trigger(webhook_context& ctx, const http_request& request, const route_params& params,
                       respond_fn respond) {
    std::string scenario_id = *params.get("scenario");
    ctx.pool.post([&request, scenario_id, respond](
                      pqxx::connection& conn) { respond(trigger_manual_run(conn, request, scenario_id)); },
                  [&ctx, respond](std::exception_ptr error) { respond(webhook_failure_response(error, ctx)); });
}

} // namespace

// The answer for a job that failed before responding; the log gets the exception's type and
// message (database and vault messages carry no secrets), the client a generic problem.
http_response webhook_failure_response(std::exception_ptr error, const webhook_context& ctx) {
    std::string what = "unknown error";
    int status = 500;
    std::string code = "internal_error";
    try {
        std::rethrow_exception(error);
    } catch (const pqxx::broken_connection& e) {
        what = std::string("database unavailable: ") + e.what();
        status = 503;
        code = "database_unavailable";
    } catch (const vault_error& e) {
        what = std::string("webhook secret could not be opened: ") + e.what();
    } catch (const std::exception& e) {
        what = e.what();
    } catch (...) {
    }
    if (ctx.log_error) ctx.log_error("webhooks: " + what);
    if (status == 503)
        return problem_response(503, code, "Service unavailable", "the database is unavailable; retry later");
    return problem_response(500, code, "Internal error", "the delivery could not be processed");
}

http_response accepted_answer(const std::string& run_id) {
    // The run goes on; the caller polls its status.
    return http_response::json(202, boost::json::object{{"run_id", run_id}, {"status_url", run_status_url(run_id)}});
}

finished_run to_finished_run(const run_outcome& outcome, const std::vector<std::string>& respond_nodes) {
    finished_run out;
    out.status = outcome.status;
    if (const auto* error = outcome.error.if_object()) {
        if (auto* c = error->if_contains("code"); c && c->is_string()) out.error_code = std::string(c->as_string());
        if (auto* m = error->if_contains("message"); m && m->is_string()) out.error_message = std::string(m->as_string());
    }
    const auto* report = outcome.report.if_object();
    const auto* nodes = report ? report->if_contains("nodes") : nullptr;
    if (nodes == nullptr || !nodes->is_array()) return out;
    for (const auto& n : nodes->as_array()) {
        const auto* node = n.if_object();
        if (node == nullptr) continue;
        auto* id = node->if_contains("node_id");
        auto* status = node->if_contains("status");
        if (!id || !id->is_string() || !status || !status->is_string() || status->as_string() != "succeeded") continue;
        if (std::find(respond_nodes.begin(), respond_nodes.end(), std::string_view(id->as_string())) == respond_nodes.end())
            continue;
        if (auto* output = node->if_contains("output"); output && output->is_object()) out.response = *output;
    }
    return out;
}

http_response sync_answer(const std::string& run_id, const finished_run& run) {
    if (run.status == "failed")
        return problem_with(500, "run_failed", "Run failed", run.error_message.empty() ? "the run failed" : run.error_message,
                            {{"run_id", run_id}, {"error_code", run.error_code}, {"status_url", run_status_url(run_id)}});
    const auto* out = run.response.if_object();
    if (run.status != "succeeded" || out == nullptr)
        return http_response::json(200, boost::json::object{{"run_id", run_id}, {"status", run.status}});

    http_response res;
    res.status = 200;
    if (auto* s = out->if_contains("status"); s && s->is_int64() && s->as_int64() >= 100 && s->as_int64() <= 599)
        res.status = static_cast<int>(s->as_int64());
    const boost::json::value* body = out->if_contains("body");
    if (body == nullptr || body->is_null()) {
        res.body.clear();
    } else if (body->is_string()) {
        res.body = std::string(body->as_string());
        res.set_header("Content-Type", "text/plain; charset=utf-8");
    } else {
        res.body = boost::json::serialize(*body);
        res.set_header("Content-Type", "application/json");
    }
    if (auto* h = out->if_contains("headers"); h && h->is_object())
        for (const auto& [name, value] : h->as_object())
            if (value.is_string()) res.set_header(name, std::string(value.as_string()));
    res.set_header("X-Run-Id", run_id);
    return res;
}

void add_webhook_routes(router& routes, webhook_context& ctx) {
    auto batcher = std::make_shared<ingest_batcher>(ctx);
    routes.add_async("POST", "/webhooks/{endpoint}",
                     [batcher](const http_request& request, const route_params& params, respond_fn respond) {
                         on_delivery(*batcher, request, params, std::move(respond));
                     });
    routes.add_async("POST", "/trigger/{scenario}",
                     [&ctx](const http_request& request, const route_params& params, respond_fn respond) {
                         on_manual_trigger(ctx, request, params, std::move(respond));
                     });
}

} // namespace sr::host
