#include "runtime/run_log_book.hpp"

#include <chrono>

namespace sr::host {

namespace {

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Cuts at a UTF-8 character boundary so the stored text stays valid.
std::string capped(std::string_view message, std::size_t limit) {
    if (message.size() <= limit) return std::string(message);
    std::size_t end = limit;
    while (end > 0 && (static_cast<unsigned char>(message[end]) & 0xC0) == 0x80) --end;
    return std::string(message.substr(0, end)) + "...";
}

} // namespace

void run_log_book::open(const std::string& run_id) {
    std::lock_guard lock(mutex_);
    runs_.try_emplace(run_id);
}

void run_log_book::add(std::string_view run_id, std::string_view node_id, sr_log_level level,
                       std::string_view message) {
    std::lock_guard lock(mutex_);
    auto it = runs_.find(std::string(run_id));
    if (it == runs_.end()) return;
    auto& e = it->second;
    if (e.lines.size() >= max_lines_per_run) {
        ++e.dropped;
        return;
    }
    e.lines.push_back({std::string(node_id), level, capped(message, max_message_bytes), now_ms()});
}

std::vector<run_log_line> run_log_book::take(const std::string& run_id) {
    entry e;
    {
        std::lock_guard lock(mutex_);
        auto it = runs_.find(run_id);
        if (it == runs_.end()) return {};
        e = std::move(it->second);
        runs_.erase(it);
    }
    if (e.dropped > 0)
        e.lines.push_back({"", SR_LOG_WARN,
                           std::to_string(e.dropped) + " more log lines of this run were dropped (limit " +
                               std::to_string(max_lines_per_run) + ")",
                           now_ms()});
    return std::move(e.lines);
}

} // namespace sr::host
