#include "services/json_log.hpp"

#include "services/utf8_text.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace sr::host {
namespace {

std::string utc_timestamp() {
    auto now = std::chrono::system_clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    return text;
}

boost::json::value text_or_null(std::string_view s) {
    if (s.empty()) return nullptr;
    return boost::json::string(to_valid_utf8(s));
}

} // namespace

std::string_view log_level_name(sr_log_level level) noexcept {
    switch (level) {
    case SR_LOG_DEBUG: return "debug";
    case SR_LOG_WARN: return "warn";
    case SR_LOG_ERROR: return "error";
    default: return "info";
    }
}

json_log::json_log(sr_log_level min_level, sink out) : min_level_(min_level), out_(std::move(out)) {}

void json_log::write(sr_log_level level, const log_fields& fields, std::string_view message) noexcept {
    if (!enabled(level)) return;
    try {
        std::string msg;
        if (message.size() > max_message_bytes) {
            msg = to_valid_utf8(message.substr(0, max_message_bytes)) + "... (truncated)";
        } else {
            msg = to_valid_utf8(message);
        }
        boost::json::object line;
        line["ts"] = utc_timestamp();
        line["level"] = log_level_name(level);
        if (!fields.component.empty()) line["component"] = text_or_null(fields.component);
        line["plugin"] = text_or_null(fields.plugin);
        line["run_id"] = text_or_null(fields.run_id);
        line["node_id"] = text_or_null(fields.node_id);
        line["correlation_id"] = text_or_null(fields.correlation_id);
        line["msg"] = msg;
        auto text = boost::json::serialize(line);
        text += '\n';
        std::lock_guard lock(mutex_);
        if (out_)
            out_(text);
        else
            std::fwrite(text.data(), 1, text.size(), stderr);
    } catch (...) {
        // A log line is never worth a failure of the caller.
    }
}

} // namespace sr::host
