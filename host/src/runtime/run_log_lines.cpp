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
        row.level = n.attempts > 1 ? "info" : "debug"; // see run_log_lines.hpp
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

sr_log_level level_of(const std::string& name) { return parse_log_level(name).value_or(SR_LOG_INFO); }

// The run's own outcome, its last line.
run_log_row run_line(const core::engine::run_report& report) {
    run_log_row row;
    const std::string status = to_string(report.status);
    row.node_id = text_of(report.error, "node");
    row.level = report.status == core::engine::run_status::succeeded ? "info" : "error";
    row.message = "run " + status;
    if (auto code = text_of(report.error, "code"); !code.empty()) row.message += ": " + code;
    row.at_ms = report.finished_ms;
    return row;
}

void drop_below(std::vector<run_log_row>& rows, sr_log_level min_level) {
    std::erase_if(rows, [min_level](const run_log_row& r) { return level_of(r.level) < min_level; });
}

} // namespace

std::optional<sr_log_level> parse_log_level(std::string_view name) {
    if (name == "debug") return SR_LOG_DEBUG;
    if (name == "info") return SR_LOG_INFO;
    if (name == "warn") return SR_LOG_WARN;
    if (name == "error") return SR_LOG_ERROR;
    return std::nullopt;
}

std::vector<run_log_row> plugin_log_rows(std::vector<run_log_line> plugin_lines, sr_log_level min_level) {
    std::vector<run_log_row> rows;
    rows.reserve(plugin_lines.size());
    for (auto& line : plugin_lines) {
        if (line.level < min_level) continue;
        run_log_row row;
        row.node_id = std::move(line.node_id);
        row.level = level_name(line.level);
        row.message = std::move(line.message);
        row.at_ms = line.at_ms;
        rows.push_back(std::move(row));
    }
    return rows; // in the order they were logged; run_log_lines sorts them with the node lines
}

std::vector<run_log_row> run_log_lines(const core::engine::run_report& report, std::vector<run_log_line> plugin_lines,
                                       sr_log_level min_level) {
    std::vector<run_log_row> rows;
    rows.reserve(report.nodes.size() + plugin_lines.size() + 1);
    for (const auto& n : report.nodes)
        if (ran(n.status)) rows.push_back(node_line(n, report.finished_ms));
    drop_below(rows, min_level);
    for (auto& row : plugin_log_rows(std::move(plugin_lines), min_level)) rows.push_back(std::move(row));
    // A plugin's lines come before its node's outcome line when logged in the same millisecond.
    std::stable_sort(rows.begin(), rows.end(), [](const run_log_row& a, const run_log_row& b) {
        if (a.at_ms != b.at_ms) return a.at_ms < b.at_ms;
        return a.data.is_null() && !b.data.is_null();
    });
    if (auto last = run_line(report); level_of(last.level) >= min_level) rows.push_back(std::move(last));
    return rows;
}

} // namespace sr::host
