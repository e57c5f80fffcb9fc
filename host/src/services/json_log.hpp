#pragma once
// Structured logs: one JSON object per line, {ts, level, plugin, run_id, node_id,
// correlation_id, msg} (plus `component` for host lines), written whole so lines from many
// threads never interleave. Messages are made valid UTF-8 and capped in length.
#include <scenario/sr_plugin.h>

#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace sr::host {

// Who a line is about; empty fields are written as null.
struct log_fields {
    std::string_view plugin{}, run_id{}, node_id{}, correlation_id{};
    std::string_view component{}; // for host lines ("http", "db", ...); omitted when empty
};

class json_log {
public:
    using sink = std::function<void(std::string_view line)>; // gets the line with its '\n'

    // Default sink: stderr.
    explicit json_log(sr_log_level min_level = SR_LOG_INFO, sink out = {});

    void write(sr_log_level level, const log_fields& fields, std::string_view message) noexcept;
    bool enabled(sr_log_level level) const noexcept { return level >= min_level_; }

    static constexpr std::size_t max_message_bytes = 16 * 1024;

private:
    sr_log_level min_level_;
    sink out_;
    std::mutex mutex_;
};

// "debug", "info", "warn", "error"; "info" for unknown values.
std::string_view log_level_name(sr_log_level level) noexcept;

} // namespace sr::host
