#pragma once
// The orchestration of one run as an I/O-free state machine. It never calls a plugin, reads
// a clock or starts a timer: the caller feeds it events (a node's result, a timer that
// fired, cancel, pause) stamped with the time, and it answers with the actions to take
// (invoke a node, wait until a time, cancel a call, compensate, finish). Tests step it
// without sockets or clocks; the Asio executor and the durable runtime drive the same code.
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "sr/core/engine/circuit_breaker.hpp"
#include "sr/core/engine/execution_plan.hpp"

namespace sr::core::engine {

// A node inside a frame: frame 0 is the run itself; each item of an iteration gets a frame.
struct node_key {
    uint32_t node = 0;
    uint32_t frame = 0;
    friend bool operator==(const node_key&, const node_key&) = default;
};

enum class node_status : uint8_t {
    pending,    // waiting for its inputs
    ready,      // inputs decided, waiting for a slot
    running,    // its plugin call is in flight
    retry_wait, // failed an attempt; waiting for the retry time
    suspended,  // asked to resume at a time (system.delay)
    succeeded,
    failed,
    skipped,    // not on the path taken
    cancelled
};
const char* to_string(node_status status);
bool is_terminal(node_status status);

enum class run_status : uint8_t { running, paused, succeeded, failed, cancelled, incomplete };
const char* to_string(run_status status);

// The output handles a node chose: nullopt follows every success edge, an empty list none.
using route_list = std::optional<std::vector<std::string>>;

// How one attempt of a node ended, as the plugin (or the executor) reported it.
struct node_result {
    enum class kind : uint8_t { success, retryable_error, fatal_error, suspend };
    kind outcome = kind::success;
    boost::json::value output;
    route_list route;
    std::string error_code;
    std::string error_message;
    int64_t retry_after_ms = -1;
    int64_t resume_at_ms = 0;

    static node_result success(boost::json::value output);
    static node_result success(boost::json::value output, std::vector<std::string> handles);
    static node_result retryable(std::string code, std::string message, int64_t retry_after_ms = -1);
    static node_result fatal(std::string code, std::string message);
    static node_result suspend(int64_t resume_at_ms, boost::json::value output);
};

struct node_record {
    node_status status = node_status::pending;
    uint32_t attempt = 0;
    uint16_t in_decided = 0;
    uint16_t in_taken = 0;
    bool ignored = false;        // failed, and the on_error directive said to ignore it
    bool error_routed = false;   // failed, and its error edges were followed
    boost::json::value input;    // the rendered settings it was called with
    boost::json::value output;
    boost::json::value error;    // {"code", "message"} once failed
    boost::json::value collected; // aggregate nodes: {"items": [...]} gathered from the iteration
    route_list route;
    int64_t started_ms = 0;
    int64_t finished_ms = 0;
    uint64_t completion_order = 0; // for rollback: newest first
};

struct run_action {
    enum class kind : uint8_t {
        invoke,      // call the node's plugin with record(key).input, attempt `attempt`
        wait,        // call on_timer(key) at `at_ms` (retry backoff or a suspend)
        cancel_call, // abandon the node's in-flight call (it still reports a result)
        compensate,  // run `action` of the node's plugin with `input`; then on_compensated
        finished     // the run is over: see status()
    };
    kind type = kind::invoke;
    node_key key;
    uint32_t attempt = 0;
    int64_t at_ms = 0;
    std::string action;
    boost::json::value input;
};

// What expressions in a node's settings can read: resolve("trigger", "body") is the trigger's
// output.body; resolve("<node id>", "output" | "input" | "error") a node's record as seen
// from the current iteration frame; resolve(x, "") the whole root.
class data_scope {
public:
    virtual ~data_scope() = default;
    virtual const boost::json::value* resolve(std::string_view root, std::string_view field) const = 0;
    virtual int64_t now_ms() const = 0;
};

// Turns a node's settings into the input it is called with. Throws mapping_error to fail the
// node (fatal, code "mapping_failed").
class input_renderer {
public:
    virtual ~input_renderer() = default;
    virtual boost::json::value render(uint32_t node, const data_scope& scope) const = 0;
    virtual boost::json::value render_compensation(uint32_t node, const boost::json::value& input_template,
                                                   const data_scope& scope) const = 0;
};

struct mapping_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct machine_options {
    std::shared_ptr<const input_renderer> renderer;   // required
    breaker_registry* breakers = nullptr;             // optional, shared across runs
    std::function<double()> unit_random;              // [0,1); default: a per-run PRNG
    uint32_t default_concurrency = 10;                // iterate frames at once
};

class run_machine {
public:
    run_machine(std::shared_ptr<const execution_plan> plan, machine_options options);

    // Each event appends the resulting actions to `out`.
    void start(boost::json::value trigger_output, int64_t now_ms, std::vector<run_action>& out);
    void on_result(node_key key, node_result result, int64_t now_ms, std::vector<run_action>& out);
    void on_timer(node_key key, int64_t now_ms, std::vector<run_action>& out);
    void on_compensated(node_key key, bool ok, int64_t now_ms, std::vector<run_action>& out);
    // Stops the run: running calls get cancel_call, nothing new starts. `code` and `outcome`
    // say why: a user's cancel, or a run deadline ("scenario_timeout", failed).
    void cancel(std::string reason, int64_t now_ms, std::vector<run_action>& out,
                run_status outcome = run_status::cancelled, std::string code = "cancelled");
    void pause();
    void resume(int64_t now_ms, std::vector<run_action>& out);

    run_status status() const { return status_; }
    const boost::json::value& error() const { return run_error_; } // {"code","message","node"}
    const execution_plan& plan() const { return *plan_; }
    const node_record& record(node_key key) const { return frames_[key.frame].nodes[key.node]; }
    std::size_t frame_count() const { return frames_.size(); }
    // The frame's item index within its iteration, and the iterate node that made it.
    uint32_t frame_item(uint32_t frame) const { return frames_[frame].item; }
    int32_t frame_iterate(uint32_t frame) const { return frames_[frame].iterate; }
    int32_t frame_parent(uint32_t frame) const { return frames_[frame].parent; }
    // Nodes in the order they started (the path taken), then skipped ones are not listed.
    const std::vector<node_key>& path() const { return path_; }

private:
    struct frame_state {
        int32_t parent = -1;
        int32_t iterate = no_node; // the iterate node that opened this frame; -1 for the run
        uint32_t item = 0;
        uint32_t open = 0;         // nodes of this frame's scope not yet terminal
        std::vector<node_record> nodes;
        boost::json::value vars;   // set by "variables" nodes of this frame: {{vars.name}}
    };
    struct iteration_state {
        uint32_t iterate = 0;
        uint32_t parent_frame = 0;
        boost::json::array items;
        uint32_t concurrency = 1;
        uint32_t next = 0;
        uint32_t active = 0;
        uint32_t done = 0;
        std::vector<uint32_t> frames; // by item index
        bool closed = false;
    };
    class frame_scope;

    node_record& rec(node_key key) { return frames_[key.frame].nodes[key.node]; }
    const plan_node& pnode(uint32_t n) const { return plan_->nodes()[n]; }
    uint32_t scope_size(int32_t iterate) const { return scope_sizes_[static_cast<std::size_t>(iterate + 1)]; }
    void apply_result(node_key key, node_result result, int64_t now_ms, std::vector<run_action>& out);
    void finish(std::vector<run_action>& out);

    void make_ready(node_key key);
    void dispatch(int64_t now_ms, std::vector<run_action>& out);
    void invoke(node_key key, int64_t now_ms, std::vector<run_action>& out);
    void succeed(node_key key, boost::json::value output, route_list route, int64_t now_ms);
    void fail(node_key key, std::string code, std::string message, int64_t now_ms);
    void terminal(node_key key);
    void decide_out_edges(node_key key);
    void mark_edge(uint32_t frame, uint32_t target, bool taken);
    void skip(node_key key);
    void open_iteration(node_key key);
    void start_frames(uint32_t iteration);
    void frame_done(uint32_t frame);
    void close_iteration(uint32_t iteration);
    void stop(run_status outcome, boost::json::value error);
    void maybe_finish(int64_t now_ms, std::vector<run_action>& out);
    void next_compensation(int64_t now_ms, std::vector<run_action>& out);
    bool breaker_allows(node_key key, int64_t now_ms, int64_t& retry_in_ms);
    void breaker_record(node_key key, bool service_failure, int64_t now_ms);
    std::string breaker_key(uint32_t node) const;
    double random_unit();

    std::shared_ptr<const execution_plan> plan_;
    machine_options options_;
    std::vector<uint32_t> scope_sizes_; // nodes per frame scope, by iterate node + 1
    std::vector<frame_state> frames_;
    std::vector<iteration_state> iterations_;
    std::vector<int32_t> iteration_of_frame_; // frame -> its iteration index (-1 for frame 0)
    std::deque<node_key> ready_;
    std::vector<node_key> worklist_; // nodes that just became terminal, edges still to decide
    std::vector<node_key> path_;
    std::vector<node_key> compensations_;
    uint32_t running_ = 0;
    uint32_t waiting_ = 0;
    uint64_t completions_ = 0;
    uint64_t rng_state_ = 0;
    bool stopping_ = false;
    bool paused_ = false;
    bool compensating_ = false;
    bool rollback_ = false;
    boost::json::array compensation_failures_;
    bool finished_ = false;
    run_status status_ = run_status::running;
    run_status outcome_ = run_status::succeeded;
    boost::json::value run_error_;
};

} // namespace sr::core::engine
