#pragma once
// Group commit for webhook deliveries. Every accepted delivery must be durable before it is
// answered, and a commit waits for a WAL flush (an fsync): one transaction per delivery caps
// ingest at a few flushes' worth per second whatever the load. Deliveries that arrive while a
// batch is being stored wait in a queue and are stored together by the next one, in one
// transaction, so under load many share a flush; an idle host still stores a lone delivery at
// once. When a shared transaction fails (the database refused something, a secret did not
// open), each of its deliveries is stored again alone, so one bad delivery cannot fail others.
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "http/http_message.hpp"
#include "webhooks/webhook_routes.hpp"

namespace sr::host {

struct pending_delivery {
    const http_request* request; // valid until `respond` is called (the HTTP session keeps it)
    std::string public_id;
    respond_fn respond;
};

class ingest_batcher : public std::enable_shared_from_this<ingest_batcher> {
public:
    // `ctx` must outlive the batcher and every delivery in flight. At most `max_jobs` db_pool
    // jobs store deliveries at once (the rest of the pool stays free for the workers), each
    // taking up to `max_batch` deliveries per transaction.
    ingest_batcher(webhook_context& ctx, std::size_t max_batch = 128, std::size_t max_jobs = 2);

    // Thread-safe. The delivery is answered through its respond_fn once stored or refused.
    void submit(pending_delivery delivery);

private:
    void drain(pqxx::connection& conn);
    void job_failed(std::exception_ptr error);
    void store_together(pqxx::connection& conn, std::vector<pending_delivery>& batch);
    void store_alone(pqxx::connection& conn, pending_delivery& delivery);

    webhook_context& ctx_;
    const std::size_t max_batch_, max_jobs_;
    std::mutex mutex_;
    std::deque<pending_delivery> queue_;
    std::size_t jobs_ = 0;
};

} // namespace sr::host
