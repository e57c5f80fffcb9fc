#pragma once
// The log lines of the runs executing on this host, kept in memory until each run finishes and
// stored with its final record (run_logs): what plugins logged during their calls, in order, with
// the node and correlation id. Plugins log from any thread, so the book is thread-safe; it is
// bounded per run so a chatty plugin cannot grow a run's memory without limit.
#include <scenario/sr_plugin.h>

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sr::host {

struct run_log_line {
    std::string node_id;
    sr_log_level level = SR_LOG_INFO;
    std::string message;
    int64_t at_ms = 0; // Unix time
};

class run_log_book {
public:
    static constexpr std::size_t max_lines_per_run = 200;
    static constexpr std::size_t max_message_bytes = 2048;

    // Starts collecting for a run (at claim). Lines for runs not opened are dropped.
    void open(const std::string& run_id);
    // Adds a line (any thread). Past the per-run limit, lines are counted instead of kept.
    void add(std::string_view run_id, std::string_view node_id, sr_log_level level, std::string_view message);
    // Stops collecting and hands over the lines, with a final note when some were dropped.
    std::vector<run_log_line> take(const std::string& run_id);

private:
    struct entry {
        std::vector<run_log_line> lines;
        std::size_t dropped = 0;
    };
    std::mutex mutex_;
    std::unordered_map<std::string, entry> runs_;
};

} // namespace sr::host
