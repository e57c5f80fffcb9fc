#include "migrate_call.hpp"

#include <condition_variable>
#include <mutex>
#include <optional>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "sr/core/plugin/status_name.hpp"

namespace sr::core::upgrade {

namespace json = boost::json;

namespace {

// Shared with the completion callback, which may run after we stopped waiting.
struct pending_outcome {
    std::mutex mutex;
    std::condition_variable done;
    std::optional<call_outcome> outcome;

    bool wait(std::chrono::milliseconds limit) {
        std::unique_lock lock(mutex);
        return done.wait_for(lock, limit, [&] { return outcome.has_value(); });
    }
};

// The plugin runtime turns an execute() error into a plugin_error outcome whose message ends
// with the status name (see live_call.cpp); these two mean "no migrate step for this target".
bool is_unsupported(const call_outcome& o) {
    if (o.kind != SR_RESULT_FATAL_ERROR || o.error_code != "plugin_error") return false;
    for (sr_status status : {SR_ERR_UNSUPPORTED, SR_ERR_UNKNOWN_TARGET}) {
        const std::string suffix = fmt::format("execute() returned {}", status_name(status));
        if (o.error_message.size() >= suffix.size() &&
            o.error_message.compare(o.error_message.size() - suffix.size(), suffix.size(), suffix) == 0)
            return true;
    }
    return false;
}

migrate_outcome failed_with(std::string message) {
    migrate_outcome out;
    out.what = migrate_outcome::kind::failed;
    out.message = std::move(message);
    return out;
}

int64_t unix_ms_after(std::chrono::milliseconds delay) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               (std::chrono::system_clock::now() + delay).time_since_epoch())
        .count();
}

} // namespace

migrate_outcome call_migrate(plugin_instance& plugin, const std::string& target, const std::string& node_id,
                             const json::value& settings, const std::string& from_version,
                             std::chrono::milliseconds timeout) {
    call_request request;
    request.kind = SR_CALL_MIGRATE_SETTINGS;
    request.target = target;
    request.node_id = node_id;
    request.settings_json = json::serialize(settings);
    request.from_version = from_version;
    request.deadline_unix_ms = unix_ms_after(timeout);

    auto pending = std::make_shared<pending_outcome>();
    auto cancel = plugin.invoke(std::move(request), [pending](call_outcome outcome) {
        std::lock_guard lock(pending->mutex);
        pending->outcome = std::move(outcome);
        pending->done.notify_all();
    });
    if (!pending->wait(timeout)) {
        cancel->cancel();
        if (!pending->wait(std::chrono::seconds(1)))
            return failed_with(fmt::format("the migrate step did not finish within {} ms", timeout.count()));
    }
    std::lock_guard lock(pending->mutex);
    const call_outcome& o = *pending->outcome;
    if (is_unsupported(o)) return {migrate_outcome::kind::unsupported, nullptr, {}};
    if (o.kind != SR_RESULT_SUCCESS)
        return failed_with(fmt::format("the migrate step failed: {}{}{}", o.error_code,
                                       o.error_message.empty() ? "" : ": ", o.error_message));
    boost::system::error_code ec;
    json::value output = json::parse(o.output_json, ec);
    if (ec || !output.is_object())
        return failed_with("the migrate step did not return a settings object");
    return {migrate_outcome::kind::migrated, std::move(output), {}};
}

} // namespace sr::core::upgrade
