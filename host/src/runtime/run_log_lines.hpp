#pragma once
// The structured log of a finished run, as stored in run_logs: one line per node that ran (its
// outcome, duration and attempts), every line plugins logged during the run, in time order, and
// the run's own outcome last. Lines below the host's run log level are not stored.
//
// Levels: a node that succeeded at its first attempt logs at debug, since its node_runs row
// already holds the same facts (status, attempts, duration); storing that line again doubled
// the rows written per run. A success after retries (info), a wait (info), a cancel (warn) and a
// failure (error) are worth reading in the log itself.
#include <optional>
#include <string_view>
#include <vector>

#include "runtime/run_log_book.hpp"
#include "runtime/run_writer.hpp"
#include "sr/core/engine/run_report.hpp"

namespace sr::host {

// Only the plugins' lines, in the order they were logged (a run parked before it finishes
// stores these).
std::vector<run_log_row> plugin_log_rows(std::vector<run_log_line> plugin_lines, sr_log_level min_level);

std::vector<run_log_row> run_log_lines(const core::engine::run_report& report, std::vector<run_log_line> plugin_lines,
                                       sr_log_level min_level);

// "debug", "info", "warn", "error" -> the level; nullopt for anything else.
std::optional<sr_log_level> parse_log_level(std::string_view name);

} // namespace sr::host
