#include "webhooks/webhook_ingest.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <pqxx/pqxx>

#include <ctime>
#include <mutex>
#include <unordered_map>

#include "db/prepared_sql.hpp"
#include "http/problem.hpp"
#include "runtime/run_queue.hpp"
#include "security/associated_data.hpp"
#include "security/webhook_signature.hpp"
#include "services/utf8_text.hpp"
#include "store/store_error.hpp"
#include "webhooks/webhook_endpoints.hpp"
#include "webhooks/webhook_payload.hpp"

namespace sr::host {
namespace {

ingest_result refused(webhook_metrics& metrics, std::string_view reason, http_response response) {
    metrics.count_refused(reason);
    ingest_result out;
    out.response = std::move(response);
    return out;
}

ingest_result verification_failed(webhook_metrics& metrics, const std::string& reason) {
    return refused(metrics, reason,
                   problem_with(401, "webhook_verification_failed", "Webhook verification failed",
                                "the delivery's signature could not be verified: " + reason, {{"reason", reason}}));
}

// "" when the endpoint's scheme accepts the delivery, else the reason code.
std::string verify(const webhook_endpoint_row& endpoint, const std::string& secret, const http_request& request,
                   const webhook_ingest_options& options) {
    std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
    signature_check check{true, ""};
    if (endpoint.verification == "hmac_sha256")
        check = verify_hmac_sha256(secret, request.header_or_empty("x-timestamp"), request.body,
                                   request.header_or_empty("x-signature"), now, options.replay_window_s);
    else if (endpoint.verification == "stripe")
        check = verify_stripe_signature(secret, request.header_or_empty("stripe-signature"), request.body, now,
                                        options.replay_window_s);
    return check.ok ? std::string{} : (check.reason.empty() ? std::string("signature_mismatch") : check.reason);
}

// The provider's own event id, so a provider's retry of one event starts one run.
std::string provider_event_id(const webhook_endpoint_row& endpoint, const boost::json::value& body) {
    const auto* o = body.if_object();
    if (o == nullptr) return {};
    const boost::json::value* id = nullptr;
    if (endpoint.verification == "stripe") {
        id = o->if_contains("id");
    } else if (endpoint.verification == "monday") {
        if (auto* event = o->if_contains("event"); event && event->is_object()) {
            id = event->as_object().if_contains("id");
            if (id == nullptr) id = event->as_object().if_contains("triggerUuid");
        }
    }
    if (id == nullptr) return {};
    if (id->is_string() && !id->as_string().empty()) return "event:" + std::string(id->as_string());
    if (id->is_int64() || id->is_uint64()) return "event:" + boost::json::serialize(*id);
    return {};
}

// Monday confirms a new webhook URL by posting {"challenge": "..."} and expecting it back.
const boost::json::value* monday_challenge(const boost::json::value& body) {
    const auto* o = body.if_object();
    return o ? o->if_contains("challenge") : nullptr;
}

http_response run_answer(int status, const std::string& run_id, bool duplicate) {
    boost::json::object body;
    body["run_id"] = run_id.empty() ? boost::json::value(nullptr) : boost::json::value(run_id);
    body["status_url"] = run_id.empty() ? boost::json::value(nullptr) : boost::json::value(run_status_url(run_id));
    if (duplicate) body["duplicate"] = true;
    return http_response::json(status, body);
}

http_response store_problem(const store_error& e) {
    if (e.code == "not_found") return problem_response(404, "webhook_not_found", "Webhook not found", "no such webhook endpoint");
    if (e.code == "conflict")
        return problem_response(409, "scenario_not_runnable", "Scenario not runnable", e.what());
    return problem_response(400, "invalid_input", "Invalid input", e.what());
}

// The nodes of a version that answer a sync webhook (system.respond). A version never changes,
// so each is read once per process instead of once per delivery (a scan of its definition).
class respond_node_cache {
public:
    std::vector<std::string> get(pqxx::transaction_base& tx, const std::string& version_id) {
        {
            std::lock_guard lock(mutex_);
            if (auto it = nodes_.find(version_id); it != nodes_.end()) return it->second;
        }
        static const prepared_sql select_respond_nodes{
            "SELECT n ->> 'id' FROM scenario_versions v, "
            "  jsonb_array_elements(coalesce(v.definition -> 'nodes', '[]')) n "
            "WHERE v.id = $1 AND n ->> 'type' = 'system.respond' AND n ->> 'id' IS NOT NULL"};
        std::vector<std::string> out;
        for (const auto& r : select_respond_nodes.exec(tx, version_id)) out.push_back(r[0].as<std::string>());
        std::lock_guard lock(mutex_);
        if (nodes_.size() >= max_versions) nodes_.clear(); // a bound, not an eviction policy
        nodes_.emplace(version_id, out);
        return out;
    }

private:
    static constexpr std::size_t max_versions = 4096;
    std::mutex mutex_;
    std::unordered_map<std::string, std::vector<std::string>> nodes_;
};

std::vector<std::string> respond_nodes(pqxx::transaction_base& tx, const std::string& version_id) {
    static respond_node_cache cache;
    return cache.get(tx, version_id);
}

} // namespace

http_response problem_with(int status, std::string_view code, std::string_view title, std::string_view detail,
                           const boost::json::object& extra) {
    auto res = problem_response(status, code, title, detail);
    auto body = boost::json::parse(res.body).as_object();
    for (const auto& [k, v] : extra) body[k] = v;
    res.body = boost::json::serialize(body);
    return res;
}

std::string run_status_url(std::string_view run_id) {
    return "/api/v1/runs/" + std::string(run_id);
}

ingest_result ingest_webhook(pqxx::connection& conn, const vault& keys, webhook_metrics& metrics,
                             const http_request& request, std::string_view public_id,
                             const webhook_ingest_options& options, const before_commit_fn& before_commit) {
    pqxx::work tx(conn);
    auto out = ingest_in_transaction(tx, keys, metrics, request, public_id, options, before_commit);
    if (!out.created) return out;
    tx.commit();
    metrics.count_accepted();
    if (out.handoff) out.handoff->start();
    return out;
}

ingest_result ingest_in_transaction(pqxx::dbtransaction& tx, const vault& keys, webhook_metrics& metrics,
                                    const http_request& request, std::string_view public_id,
                                    const webhook_ingest_options& options, const before_commit_fn& before_commit) {
    if (request.body.size() > options.body_limit)
        return refused(metrics, "body_too_large",
                       problem_response(413, "payload_too_large", "Payload too large",
                                        "the body exceeds " + std::to_string(options.body_limit) + " bytes"));
    auto endpoint = find_active_endpoint(tx, public_id);
    if (!endpoint)
        return refused(metrics, "unknown_endpoint",
                       problem_response(404, "webhook_not_found", "Webhook not found", "no such webhook endpoint"));

    if (endpoint->verification == "hmac_sha256" || endpoint->verification == "stripe") {
        if (endpoint->secret.ciphertext.empty()) return verification_failed(metrics, "no_secret");
        std::string secret = keys.open(endpoint->secret, webhook_secret_associated_data(endpoint->id));
        if (auto reason = verify(*endpoint, secret, request, options); !reason.empty())
            return verification_failed(metrics, reason);
    }

    boost::json::object trigger_data;
    try {
        trigger_data = make_trigger_data(request, utc_now_iso());
    } catch (const payload_error& e) {
        return refused(metrics, "invalid_body", problem_response(400, "invalid_body", "Invalid body", e.what()));
    }

    if (endpoint->verification == "monday")
        if (const auto* challenge = monday_challenge(trigger_data["body"])) {
            metrics.count_challenge();
            ingest_result out;
            out.response = http_response::json(200, boost::json::object{{"challenge", *challenge}});
            return out;
        }

    std::string key;
    if (const std::string* header = request.header("idempotency-key")) {
        key = *header;
        if (key.empty() || key.size() > options.max_idempotency_key || !is_valid_utf8(key))
            return refused(metrics, "invalid_idempotency_key",
                           problem_response(400, "invalid_idempotency_key", "Invalid Idempotency-Key",
                                            "Idempotency-Key must be 1 to " + std::to_string(options.max_idempotency_key) +
                                                " bytes of UTF-8"));
    } else {
        key = provider_event_id(*endpoint, trigger_data["body"]);
    }

    ingest_result out;
    out.response_mode = endpoint->response_mode;
    out.response_timeout_ms = endpoint->response_timeout_ms;
    std::string delivery_id;
    if (!key.empty()) {
        // A concurrent delivery with the same key waits here until the first commits, then
        // finds its row: exactly one run per key.
        static const prepared_sql insert_delivery{
            "INSERT INTO webhook_deliveries (webhook_endpoint_id, idempotency_key) "
            "VALUES ($1, $2) ON CONFLICT (webhook_endpoint_id, idempotency_key) DO NOTHING RETURNING id::text"};
        auto inserted = insert_delivery.exec(tx, endpoint->id, key);
        if (inserted.empty()) {
            auto first = tx.exec_params("SELECT coalesce(run_id::text, '') FROM webhook_deliveries "
                                        "WHERE webhook_endpoint_id = $1 AND idempotency_key = $2",
                                        endpoint->id, key);
            metrics.count_duplicate();
            out.run_id = first.empty() ? std::string{} : first[0][0].as<std::string>();
            out.response = run_answer(200, out.run_id, true);
            return out;
        }
        delivery_id = inserted[0][0].as<std::string>();
    }

    enqueued_run run;
    new_run request_run;
    std::shared_ptr<run_handoff> handoff;
    if (options.local_worker) handoff = options.local_worker->reserve();
    try {
        request_run.scenario_id = endpoint->scenario_id;
        request_run.trigger_kind = "webhook";
        request_run.trigger_node_id = endpoint->node_id;
        request_run.trigger_data = std::move(trigger_data);
        request_run.notify = options.notify_in_transaction;
        if (handoff) {
            request_run.lease_owner = handoff->owner();
            request_run.lease_ms = handoff->lease_ms();
        }
        run = enqueue_run(tx, request_run);
    } catch (const store_error& e) {
        // Nothing of this delivery may stay in a transaction shared with others.
        if (!delivery_id.empty()) tx.exec_params("DELETE FROM webhook_deliveries WHERE id = $1", delivery_id);
        return refused(metrics, "scenario_not_runnable", store_problem(e));
    }
    if (!delivery_id.empty()) {
        static const prepared_sql set_delivery_run{"UPDATE webhook_deliveries SET run_id = $1 WHERE id = $2"};
        set_delivery_run.exec(tx, run.run_id, delivery_id);
    }
    out.run_id = run.run_id;
    out.created = true;
    if (handoff && run.status == "running") {
        claimed_run claimed;
        claimed.run_id = run.run_id;
        claimed.scenario_id = endpoint->scenario_id;
        claimed.version_id = run.version_id;
        claimed.organization_id = endpoint->organization_id;
        claimed.trigger_kind = "webhook";
        claimed.correlation_id = run.correlation_id;
        claimed.trigger_data = std::move(request_run.trigger_data);
        handoff->prepare(tx, std::move(claimed));
        out.handoff = std::move(handoff);
    }
    out.response = run_answer(202, run.run_id, false);
    if (out.response_mode == "sync") out.respond_nodes = respond_nodes(tx, run.version_id);
    if (before_commit) before_commit(out);
    return out;
}

} // namespace sr::host
