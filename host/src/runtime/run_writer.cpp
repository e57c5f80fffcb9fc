#include "runtime/run_writer.hpp"

#include <algorithm>
#include <unordered_set>

#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "db/prepared_sql.hpp"
#include "runtime/uuid_text.hpp"

namespace sr::host {

namespace json = boost::json;

namespace {

json::value nullable(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }

json::value row_json(const node_row& r) {
    return json::object{{"run_id", r.run_id},
                        {"node_id", r.node_path},
                        {"plugin_id", nullable(r.plugin_id)},
                        {"operation_id", nullable(r.operation_id)},
                        {"status", r.status},
                        {"input", r.input},
                        {"output", r.output},
                        {"route", r.route},
                        {"error_code", nullable(r.error_code)},
                        {"error_message", nullable(r.error_message)},
                        {"attempt", std::max<uint32_t>(1, r.attempt)},
                        {"idempotency_key", r.idempotency_key},
                        {"started_ms", r.started_ms},
                        {"finished_ms", r.finished_ms},
                        {"resume_at_ms", r.resume_at_ms}};
}

void store_nodes(pqxx::transaction_base& tx, const std::vector<node_row>& nodes,
                 const std::unordered_set<std::string>& owned) {
    json::array rows;
    for (const auto& n : nodes)
        if (owned.count(n.run_id)) rows.push_back(row_json(n));
    if (rows.empty()) return;
    static const prepared_sql insert_nodes{
        "INSERT INTO node_runs (run_id, node_id, plugin_id, operation_id, status, input, output, route, error_code, "
        "  error_message, attempt, idempotency_key, started_at, finished_at, duration_ms, resume_at) "
        "SELECT x.run_id, x.node_id, x.plugin_id, x.operation_id, x.status, x.input, x.output, "
        "  nullif(x.route, 'null'::jsonb), x.error_code, x.error_message, x.attempt, x.idempotency_key, "
        "  to_timestamp(nullif(x.started_ms, 0) / 1000.0), to_timestamp(nullif(x.finished_ms, 0) / 1000.0), "
        "  CASE WHEN x.started_ms > 0 AND x.finished_ms >= x.started_ms THEN x.finished_ms - x.started_ms END, "
        "  to_timestamp(nullif(x.resume_at_ms, 0) / 1000.0) "
        "FROM jsonb_to_recordset($1::jsonb) AS x(run_id uuid, node_id text, plugin_id text, operation_id text, "
        "  status text, input jsonb, output jsonb, route jsonb, error_code text, error_message text, attempt int, "
        "  idempotency_key text, started_ms bigint, finished_ms bigint, resume_at_ms bigint) "
        "ON CONFLICT (run_id, node_id, attempt) DO UPDATE SET status = excluded.status, output = excluded.output, "
        "  route = excluded.route, error_code = excluded.error_code, error_message = excluded.error_message, "
        "  finished_at = excluded.finished_at, duration_ms = excluded.duration_ms, resume_at = excluded.resume_at"};
    insert_nodes.exec(tx, json::serialize(rows));
}

json::value log_json(const std::string& run_id, const std::string& correlation_id, const run_log_row& line) {
    return json::object{{"run_id", run_id},
                        {"node_id", nullable(line.node_id)},
                        {"level", line.level},
                        {"message", line.message},
                        {"data", line.data},
                        {"correlation_id", correlation_id},
                        {"at_ms", line.at_ms}};
}

void insert_logs(pqxx::transaction_base& tx, const json::array& logs) {
    if (logs.empty()) return;
    // WITH ORDINALITY keeps the lines' order in run_logs.id, which readers sort by.
    static const prepared_sql insert_lines{
                   "INSERT INTO run_logs (run_id, node_id, level, message, data, correlation_id, at) "
                   "SELECT x.run_id, x.node_id, x.level, x.message, nullif(x.data, 'null'::jsonb), x.correlation_id, "
                   "  coalesce(to_timestamp(nullif(x.at_ms, 0) / 1000.0), now()) "
                   "FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (run_id uuid, node_id text, level text, "
                   "  message text, data jsonb, correlation_id text, at_ms bigint)) WITH ORDINALITY "
                   "  AS x(run_id, node_id, level, message, data, correlation_id, at_ms, n) "
                   "ORDER BY x.n"};
    insert_lines.exec(tx, json::serialize(logs));
}

void store_finishes(pqxx::transaction_base& tx, const std::string& owner, const std::vector<run_finish>& finishes,
                    const std::unordered_set<std::string>& owned) {
    json::array rows;
    json::array logs;
    for (const auto& f : finishes) {
        if (!owned.count(f.run_id)) continue;
        rows.push_back({{"run_id", f.run_id},
                        {"status", f.status},
                        {"error_code", nullable(f.error_code)},
                        {"error_message", nullable(f.error_message)},
                        {"error_node", nullable(f.error_node)}});
        for (const auto& line : f.logs) logs.push_back(log_json(f.run_id, f.correlation_id, line));
    }
    if (rows.empty()) return;
    static const prepared_sql update_finished{
        "UPDATE runs r SET status = x.status, error_code = x.error_code, error_message = x.error_message, "
        "  error_node_id = x.error_node, finished_at = now(), lease_owner = NULL, lease_expires_at = NULL, "
        "  duration_ms = greatest(0, (extract(epoch FROM now() - coalesce(r.started_at, now())) * 1000)::bigint) "
        "FROM jsonb_to_recordset($1::jsonb) AS x(run_id uuid, status text, error_code text, error_message text, "
        "  error_node text) "
        "WHERE r.id = x.run_id AND r.lease_owner = $2"};
    update_finished.exec(tx, json::serialize(rows), owner);
    insert_logs(tx, logs);
}

void store_parks(pqxx::transaction_base& tx, const std::string& owner, const std::vector<run_park>& parks,
                 const std::unordered_set<std::string>& owned) {
    json::array rows;
    json::array logs;
    for (const auto& p : parks) {
        if (!owned.count(p.run_id)) continue;
        rows.push_back({{"run_id", p.run_id}, {"until_ms", p.until_ms}});
        for (const auto& line : p.logs) logs.push_back(log_json(p.run_id, p.correlation_id, line));
    }
    if (rows.empty()) return;
    insert_logs(tx, logs);
    static const prepared_sql update_parked{
                   "UPDATE runs r SET status = 'waiting', available_at = to_timestamp(x.until_ms / 1000.0), "
                   "  lease_owner = NULL, lease_expires_at = NULL "
                   "FROM jsonb_to_recordset($1::jsonb) AS x(run_id uuid, until_ms bigint) "
                   "WHERE r.id = x.run_id AND r.lease_owner = $2"};
    update_parked.exec(tx, json::serialize(rows), owner);
}

} // namespace

run_writer::run_writer(db_pool& pool, std::string owner, std::function<void(const std::string&)> log_error,
                       std::size_t lanes)
    : pool_(pool), owner_(std::move(owner)), log_error_(std::move(log_error)) {
    lanes_.resize(std::max<std::size_t>(1, lanes));
    for (auto& l : lanes_) l = std::make_unique<lane>();
}

void run_writer::commit_node(node_row row, done_fn done) {
    batch b;
    b.callbacks.emplace_back(row.run_id, std::move(done));
    b.nodes.push_back(std::move(row));
    add(std::move(b));
}

void run_writer::finish(run_finish run, std::vector<node_row> nodes, done_fn done) {
    batch b;
    b.callbacks.emplace_back(run.run_id, std::move(done));
    b.nodes = std::move(nodes);
    b.finishes.push_back(std::move(run));
    add(std::move(b));
}

void run_writer::park(run_park run, done_fn done) {
    batch b;
    b.callbacks.emplace_back(run.run_id, std::move(done));
    b.parks.push_back(std::move(run));
    add(std::move(b));
}

void run_writer::add(batch&& b) {
    lane& l = *lanes_[std::hash<std::string>{}(b.callbacks.front().first) % lanes_.size()];
    std::lock_guard lock(l.mutex);
    auto move_into = [](auto& to, auto& from) {
        to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
    };
    move_into(l.pending.nodes, b.nodes);
    move_into(l.pending.finishes, b.finishes);
    move_into(l.pending.parks, b.parks);
    move_into(l.pending.callbacks, b.callbacks);
    if (l.flushing) return; // the lane's flush in flight picks this up when it is done
    l.flushing = true;
    flush(l);
}

// One flush at a time per lane: what arrives meanwhile waits and goes into its next transaction.
void run_writer::flush(lane& l) {
    // Called with l.mutex held, by add() or by the completion below.
    auto work = std::make_shared<batch>();
    std::swap(*work, l.pending);
    // `self` keeps the writer, and so the lane, alive until the transaction is done.
    auto complete = [self = shared_from_this(), &l, work](std::vector<std::string> owned) {
        std::unordered_set<std::string> mine(owned.begin(), owned.end());
        for (auto& [run_id, done] : work->callbacks)
            if (done) done(mine.count(run_id) > 0);
        std::lock_guard lock(l.mutex);
        if (l.pending.empty()) {
            l.flushing = false;
            return;
        }
        self->flush(l);
    };
    pool_.post(
        [owner = owner_, log = log_error_, work, complete](pqxx::connection& conn) {
            std::vector<std::string> owned;
            try {
                // A deadlock or serialization failure is transient: the transaction is tried
                // again rather than giving up every run of the batch.
                for (int attempt = 1;; ++attempt) {
                    try {
                        store(conn, owner, *work, owned);
                        break;
                    } catch (const pqxx::transaction_rollback&) {
                        if (attempt == 3) throw;
                        owned.clear();
                    }
                }
            } catch (const std::exception& e) {
                if (log) log(std::string("storing run progress failed: ") + e.what());
                // Nothing was stored: every run of the batch is given up here; their leases
                // lapse and they continue from their last commit, here or on another host.
                owned.clear();
            }
            complete(std::move(owned));
        },
        [complete](std::exception_ptr) { complete({}); });
}

void run_writer::store(pqxx::connection& conn, const std::string& owner, batch& b, std::vector<std::string>& owned) {
    std::vector<std::string> ids;
    for (const auto& [id, done] : b.callbacks) ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    pqxx::work tx(conn);
    prefer_index_plans(tx);
    // The fence: rows locked here cannot be claimed by another host until this commits.
    static const prepared_sql lock_owned{"SELECT id::text FROM runs WHERE id = ANY($1::uuid[]) AND lease_owner = $2 "
                                         "AND status = 'running' ORDER BY id FOR UPDATE"};
    auto rows = lock_owned.exec(tx, uuid_array_literal(ids), owner);
    std::unordered_set<std::string> mine;
    for (const auto& row : rows) mine.insert(row[0].as<std::string>());
    store_nodes(tx, b.nodes, mine);
    store_finishes(tx, owner, b.finishes, mine);
    store_parks(tx, owner, b.parks, mine);
    tx.commit();
    owned.assign(mine.begin(), mine.end());
}

} // namespace sr::host
