#pragma once
// The structured log of a finished run, as stored in run_logs: one line per node that ran (its
// outcome, duration and attempts) and every line plugins logged during the run, in time order.
#include <vector>

#include "runtime/run_log_book.hpp"
#include "runtime/run_writer.hpp"
#include "sr/core/engine/run_report.hpp"

namespace sr::host {

// Only the plugins' lines, in the order they were logged (a run parked before it finishes
// stores these).
std::vector<run_log_row> plugin_log_rows(std::vector<run_log_line> plugin_lines);

std::vector<run_log_row> run_log_lines(const core::engine::run_report& report, std::vector<run_log_line> plugin_lines);

} // namespace sr::host
