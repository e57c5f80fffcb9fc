#include "webhooks/ingest_batcher.hpp"

#include <pqxx/pqxx>

#include "webhooks/webhook_ingest.hpp"

namespace sr::host {

namespace {

// The waiter a sync endpoint's delivery registers before its transaction commits (so its run
// cannot end first); it answers the delivery when the run ends, or 202 when it takes too long.
struct sync_wait {
    webhook_context& ctx;
    respond_fn respond;
    bool waiting = false;
    std::string run_id;

    void operator()(const ingest_result& queued) {
        if (queued.response_mode != "sync" || ctx.waiters == nullptr) return;
        waiting = true;
        run_id = queued.run_id;
        ctx.waiters->wait(queued.run_id, std::chrono::milliseconds(queued.response_timeout_ms),
                          [run_id = queued.run_id, nodes = queued.respond_nodes,
                           respond = respond](std::optional<run_outcome> outcome) {
                              respond(outcome ? sync_answer(run_id, to_finished_run(*outcome, nodes))
                                              : accepted_answer(run_id));
                          });
    }
};

} // namespace

ingest_batcher::ingest_batcher(webhook_context& ctx, std::size_t max_batch, std::size_t max_jobs)
    : ctx_(ctx), max_batch_(max_batch < 1 ? 1 : max_batch), max_jobs_(max_jobs < 1 ? 1 : max_jobs) {}

void ingest_batcher::submit(pending_delivery delivery) {
    bool start = false;
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(delivery));
        if (jobs_ < max_jobs_) {
            ++jobs_;
            start = true;
        }
    }
    if (!start) return; // a running job takes it with its next batch
    auto self = shared_from_this();
    ctx_.pool.post([self](pqxx::connection& conn) { self->drain(conn); },
                   [self](std::exception_ptr error) { self->job_failed(error); });
}

void ingest_batcher::drain(pqxx::connection& conn) {
    for (;;) {
        std::vector<pending_delivery> batch;
        {
            std::lock_guard lock(mutex_);
            if (queue_.empty()) {
                --jobs_;
                return;
            }
            while (!queue_.empty() && batch.size() < max_batch_) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        if (batch.size() == 1)
            store_alone(conn, batch.front());
        else
            store_together(conn, batch);
    }
}

// The job never ran (no database connection): every delivery waiting is answered with the
// error, since no job is left to take it.
void ingest_batcher::job_failed(std::exception_ptr error) {
    std::deque<pending_delivery> waiting;
    {
        std::lock_guard lock(mutex_);
        --jobs_;
        if (jobs_ == 0) waiting.swap(queue_);
    }
    for (auto& d : waiting) d.respond(webhook_failure_response(error, ctx_));
}

void ingest_batcher::store_together(pqxx::connection& conn, std::vector<pending_delivery>& batch) {
    std::vector<ingest_result> results;
    std::vector<sync_wait> waits;
    results.reserve(batch.size());
    waits.reserve(batch.size());
    for (auto& d : batch) waits.push_back(sync_wait{ctx_, d.respond, false, {}});
    // Counted aside and added only once the batch commits: after a failure every delivery is
    // ingested again alone and counted then, so nothing is counted twice.
    webhook_metrics counted;
    try {
        pqxx::work tx(conn);
        for (std::size_t i = 0; i < batch.size(); ++i)
            results.push_back(ingest_in_transaction(tx, ctx_.keys, counted, *batch[i].request, batch[i].public_id,
                                                    ctx_.options, std::ref(waits[i])));
        tx.commit();
    } catch (...) {
        // Nothing was stored: the waiters registered for runs that never were are dropped, and
        // each delivery gets its own transaction and its own answer.
        for (const auto& w : waits)
            if (w.waiting) ctx_.waiters->forget(w.run_id);
        for (auto& d : batch) store_alone(conn, d);
        return;
    }
    bool queued = false;
    for (const auto& r : results)
        if (r.created) {
            counted.count_accepted();
            queued = queued || !r.handoff; // a handed-off run needs no wake-up
        }
    ctx_.metrics.add(counted.snapshot());
    for (auto& r : results)
        if (r.handoff) r.handoff->start();
    if (queued && ctx_.signal) ctx_.signal->queued(conn);
    for (std::size_t i = 0; i < batch.size(); ++i)
        if (!(waits[i].waiting && results[i].created)) batch[i].respond(std::move(results[i].response));
}

void ingest_batcher::store_alone(pqxx::connection& conn, pending_delivery& d) {
    sync_wait wait{ctx_, d.respond, false, {}};
    try {
        auto result = ingest_webhook(conn, ctx_.keys, ctx_.metrics, *d.request, d.public_id, ctx_.options, std::ref(wait));
        if (result.created && !result.handoff && ctx_.signal) ctx_.signal->queued(conn);
        if (!(wait.waiting && result.created)) d.respond(std::move(result.response));
    } catch (...) {
        if (wait.waiting) ctx_.waiters->forget(wait.run_id);
        d.respond(webhook_failure_response(std::current_exception(), ctx_));
    }
}

} // namespace sr::host
