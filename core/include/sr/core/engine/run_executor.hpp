#pragma once
// Runs scenarios on Boost.Asio: one strand per run drives its run_machine; plugin calls go
// through the SDK ABI (plugin_instance::invoke) and complete back onto that strand; waits
// (retry backoff, per-node and per-run deadlines, suspends) are Asio timers, never a
// sleeping thread. Nothing here touches a socket or a database: observers see every step,
// and the durable runtime builds on them.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/json/value.hpp>

#include "sr/core/engine/circuit_breaker.hpp"
#include "sr/core/engine/execution_plan.hpp"
#include "sr/core/engine/plugin_directory.hpp"
#include "sr/core/engine/run_machine.hpp"
#include "sr/core/engine/run_report.hpp"

namespace sr::core::engine {

// The decrypted credentials (JSON text) of a connection id, or "" when unknown. Secrets: the
// executor passes them to the plugin call only and never records them.
using connection_resolver = std::function<std::string(const std::string& connection_id)>;

// How a durable runtime keeps a run's progress across crashes. A node's path names it within
// the run across executions: "<node id>", or "<node id>#<item path>" inside iterations (the
// idempotency key without the run id). All hooks run on the run's strand.
struct durability_hooks {
    // A result recorded by an earlier execution of this run, or null. A recorded node is not
    // called again: its result is replayed, so no side effect happens twice.
    std::function<const node_result*(const std::string& path)> recorded;
    // Results that must be stored before the run goes on: successes of nodes with side effects
    // and suspends. The executor holds the result until `committed(true)`; `committed(false)`
    // means the run is no longer ours (lease lost) and the executor abandons it.
    std::function<void(const run_machine&, node_key, const std::string& path, const node_result&,
                       std::function<void(bool)> committed)>
        commit;
    // Nothing is running and the run only waits for suspended nodes, the earliest until
    // `until_ms`: the host may park the run (store it, then abandon() it) and resume it later.
    std::function<void(int64_t until_ms)> idle;
};

struct run_request {
    std::shared_ptr<const execution_plan> plan;
    std::shared_ptr<const input_renderer> renderer;
    boost::json::value trigger_output;
    std::string run_id;
    std::string correlation_id;
    std::string scope_prefix; // namespaces plugin key/value state, e.g. the scenario id
    bool dry_run = false;     // side-effect actions answer with their manifest sample output
    connection_resolver connections;
    durability_hooks durability; // empty for in-memory runs and dry-runs
};

// Optional hooks, called on the run's strand.
class run_observer {
public:
    virtual ~run_observer() = default;
    virtual void node_started(const run_machine&, node_key, uint32_t /*attempt*/) {}
    virtual void node_finished(const run_machine&, node_key) {}
};

class run_handle {
public:
    virtual ~run_handle() = default;
    virtual void cancel(std::string reason) = 0;
    virtual void pause() = 0;
    virtual void resume() = 0;
    // Stops driving the run without finishing it: timers stop, calls in flight are cancelled,
    // `done` is never called. For a durable host whose lease is gone or that parks the run.
    virtual void abandon() = 0;
};

class run_executor {
public:
    run_executor(boost::asio::any_io_executor io, const plugin_directory& plugins,
                 breaker_registry* breakers = nullptr);

    // Starts a run; `done` runs once, on the run's strand, with the final report.
    std::shared_ptr<run_handle> start(run_request request, std::function<void(run_report)> done,
                                      std::shared_ptr<run_observer> observer = {});

private:
    boost::asio::any_io_executor io_;
    const plugin_directory& plugins_;
    breaker_registry* breakers_;
};

// "<node id>" or "<node id>#<item path>": a node's name within its run (see durability_hooks).
std::string node_path(const run_machine& machine, node_key key);

// Wall-clock milliseconds since the Unix epoch: what run records and deadlines use.
int64_t unix_now_ms();

} // namespace sr::core::engine
