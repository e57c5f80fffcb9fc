#pragma once
// A loaded and initialised plugin instance: the ABI handshake, init/deinit, the manifest and
// calls into the plugin.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/json/value.hpp>
#include <scenario/sr_plugin.h>

#include "sr/core/plugin/call_outcome.hpp"
#include "sr/core/plugin/call_request.hpp"
#include "sr/core/plugin/cancel_signal.hpp"
#include "sr/core/plugin/plugin_refused.hpp"
#include "sr/core/plugin/service_provider.hpp"

namespace sr::core {

namespace detail {
class instance_core;
}

class plugin_instance {
public:
    // Checks the entry (struct size, ABI major, ABI minor), calls init, then reads the manifest
    // (non-empty JSON object with string "id" and "version"). Throws plugin_refused naming
    // `file`; after a successful init a refusal calls deinit first. `services` must outlive the
    // instance. `library` (optional) keeps the code of the plugin loaded for as long as the
    // instance lives, whoever holds the last reference.
    static std::shared_ptr<plugin_instance> create(const sr_plugin_entry* entry, std::string file,
                                                   service_provider& services,
                                                   std::shared_ptr<const void> library = {});

    // Asks the plugin to cancel what is still running (its calls, and host service work that
    // outlived its call), waits until every call has completed and every service callback into
    // the plugin has returned (at most drain_timeout()), then calls deinit. On time-out the
    // instance is abandoned: deinit is skipped, the code stays loaded and callbacks still to
    // come are dropped. Destroy it on a host thread, never inside a `done` callback or on the
    // only thread of the io_context its services use (their callbacks could not run).
    ~plugin_instance();
    plugin_instance(const plugin_instance&) = delete;
    plugin_instance& operator=(const plugin_instance&) = delete;

    const std::string& manifest_text() const noexcept { return manifest_text_; } // as given
    const boost::json::value& manifest() const noexcept { return manifest_; }    // parsed
    const std::string& id() const noexcept { return id_; }           // manifest "id"
    const std::string& version() const noexcept { return version_; } // manifest "version"
    const std::string& file() const noexcept;
    uint32_t abi_major() const noexcept;
    uint32_t abi_minor() const noexcept;

    // Starts a call; `done` runs exactly once, on whatever thread the plugin completes on
    // (possibly inside invoke()). Cancelling the returned signal makes is_cancelled() true for
    // the plugin and calls its cancel() once.
    std::shared_ptr<cancel_signal> invoke(call_request request, std::function<void(call_outcome)> done);

    // Calls that have started and not yet finished.
    std::size_t calls_in_flight() const;
    // Host service callbacks into the plugin (HTTP, KV) accepted and not yet returned.
    std::size_t callbacks_in_flight() const;

    std::chrono::milliseconds drain_timeout() const noexcept { return drain_timeout_; }
    void set_drain_timeout(std::chrono::milliseconds timeout) noexcept { drain_timeout_ = timeout; }

private:
    plugin_instance(std::shared_ptr<detail::instance_core> core, std::shared_ptr<const void> library);
    void init();
    void read_manifest();

    std::shared_ptr<detail::instance_core> core_;
    std::shared_ptr<const void> library_;
    std::string manifest_text_;
    boost::json::value manifest_;
    std::string id_, version_;
    std::chrono::milliseconds drain_timeout_{10000};
};

} // namespace sr::core
