#include "runtime/run_log_lines.hpp"

#include <algorithm>
#include <string>

#include <boost/json.hpp>

namespace sr::host {

namespace json = boost::json;
using core::engine::node_report;
using core::engine::node_status;

namespace {

std::string text_of(const json::value& error, const char* field) {
    const auto* o = error.if_object();
    const auto* v = o ? o->if_contains(field) : nullptr;
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

const char* level_name(sr_log_level level) {
    switch (level) {
    case SR_LOG_DEBUG: return "debug";
    case SR_LOG_WARN: return "warn";
    case SR_LOG_ERROR: return "error";
    default: return "info";
    }
}

// Pending and ready nodes never ran: they get no line.
bool ran(node_status s) { return s != node_status::pending && s != node_status::ready; }

// `fallback_ms`: when a node has no times of its own (skipped), the run's end.
run_log_row node_line(const node_report& n, int64_t fallback_ms) {
    run_log_row row;
    row.node_id = n.item_path.empty() ? n.node_id : n.node_id + "#" + n.item_path;
    row.at_ms = n.finished_ms > 0 ? n.finished_ms : n.started_ms > 0 ? n.started_ms : fallback_ms;
    json::object data{{"attempts", n.attempts}};
    if (n.started_ms > 0 && n.finished_ms >= n.started_ms) data["duration_ms"] = n.finished_ms - n.started_ms;
    switch (n.status) {
    case node_status::succeeded:
        row.level = "info";
        row.message = "node " + row.node_id + " succeeded";
        break;
    case node_status::failed: {
        row.level = "error";
        auto code = text_of(n.error, "code");
        row.message = "node " + row.node_id + " failed: " + code + ": " + text_of(n.error, "message");
        data["error_code"] = code;
        break;
    }
    case node_status::skipped:
        row.level = "debug";
        row.message = "node " + row.node_id + " skipped (its branch was not taken)";
        break;
    case node_status::suspended:
        row.level = "info";
        row.message = "node " + row.node_id + " waiting";
        break;
    case node_status::cancelled:
        row.level = "warn";
        row.message = "node " + row.node_id + " cancelled";
        break;
    default:
        row.level = "warn";
        row.message = "node " + row.node_id + " did not finish";
        break;
    }
    if (n.attempts > 1 && n.status == node_status::succeeded)
        row.message += " after " + std::to_string(n.attempts) + " attempts";
    row.data = std::move(data);
    return row;
}

} // namespace

std::vector<run_log_row> plugin_log_rows(std::vector<run_log_line> plugin_lines) {
    std::vector<run_log_row> rows;
    rows.reserve(plugin_lines.size());
    for (auto& line : plugin_lines) {
        run_log_row row;
        row.node_id = std::move(line.node_id);
        row.level = level_name(line.level);
        row.message = std::move(line.message);
        row.at_ms = line.at_ms;
        rows.push_back(std::move(row));
    }
    return rows; // in the order they were logged; run_log_lines sorts them with the node lines
}

std::vector<run_log_row> run_log_lines(const core::engine::run_report& report, std::vector<run_log_line> plugin_lines) {
    std::vector<run_log_row> rows;
    rows.reserve(report.nodes.size() + plugin_lines.size());
    for (const auto& n : report.nodes)
        if (ran(n.status)) rows.push_back(node_line(n, report.finished_ms));
    for (auto& row : plugin_log_rows(std::move(plugin_lines))) rows.push_back(std::move(row));
    // A plugin's lines come before its node's outcome line when logged in the same millisecond.
    std::stable_sort(rows.begin(), rows.end(), [](const run_log_row& a, const run_log_row& b) {
        if (a.at_ms != b.at_ms) return a.at_ms < b.at_ms;
        return a.data.is_null() && !b.data.is_null();
    });
    return rows;
}

} // namespace sr::host
