#include "sr/core/plugin/plugin_instance.hpp"

#include <cstddef>
#include <mutex>
#include <utility>
#include <vector>

#include <boost/json/parse.hpp>
#include <fmt/format.h>

#include "detail/instance_core.hpp"
#include "detail/live_call.hpp"
#include "sr/core/plugin/status_name.hpp"

namespace sr::core {
namespace {

// Bytes of sr_plugin_entry that a v1.0 plugin must provide (up to and including cancel).
constexpr std::size_t entry_v1_size = offsetof(sr_plugin_entry, cancel) + sizeof(sr_plugin_entry::cancel);
// Enough to read struct_size, abi_major and abi_minor: the part every major shares.
constexpr std::size_t entry_version_size = offsetof(sr_plugin_entry, abi_minor) + sizeof(uint32_t);

void check_entry(const sr_plugin_entry* entry, const std::string& file) {
    if (entry == nullptr) throw plugin_refused(file, "sr_plugin_entry_v1() returned NULL");
    auto too_small = [&] {
        return plugin_refused(file, fmt::format("entry struct_size is {} bytes, ABI {}.{} needs at least {}",
                                                entry->struct_size, SR_ABI_MAJOR, SR_ABI_MINOR, entry_v1_size));
    };
    // The major is checked before the full size: a plugin of another major has another layout,
    // and "built for ABI 2" says more than "too small".
    if (entry->struct_size < entry_version_size) throw too_small();
    if (entry->abi_major != SR_ABI_MAJOR)
        throw plugin_refused(file, fmt::format("built for ABI {}, host speaks {}", entry->abi_major, SR_ABI_MAJOR));
    if (entry->abi_minor > SR_ABI_MINOR)
        throw plugin_refused(file, fmt::format("needs ABI {}.{}, host has {}.{}", entry->abi_major,
                                               entry->abi_minor, SR_ABI_MAJOR, SR_ABI_MINOR));
    if (entry->struct_size < entry_v1_size) throw too_small();
    if (!entry->init || !entry->deinit || !entry->manifest || !entry->execute)
        throw plugin_refused(file, "entry lacks one of init, deinit, manifest or execute");
}

// Keeps the code of plugins whose calls never drained mapped until the process ends. A
// process-wide list rather than a bare leak, so leak checkers see it as still reachable.
void keep_loaded_forever(std::shared_ptr<const void> library) {
    static std::mutex mutex;
    static auto* kept = new std::vector<std::shared_ptr<const void>>();
    std::lock_guard lock(mutex);
    kept->push_back(std::move(library));
}

} // namespace


plugin_instance::plugin_instance(std::shared_ptr<detail::instance_core> core, std::shared_ptr<const void> library)
    : core_(std::move(core)), library_(std::move(library)) {}

std::shared_ptr<plugin_instance> plugin_instance::create(const sr_plugin_entry* entry, std::string file,
                                                         service_provider& services,
                                                         std::shared_ptr<const void> library) {
    check_entry(entry, file);
    auto core = std::make_shared<detail::instance_core>(entry, file, services);
    std::shared_ptr<plugin_instance> instance(new plugin_instance(std::move(core), std::move(library)));
    instance->init();
    instance->read_manifest(); // a throw here destroys the instance, which calls deinit
    return instance;
}

// Design note on lifetime: calls do not keep the instance alive. If they did, the last
// reference could be dropped inside complete() on a plugin thread, and deinit would run there,
// against its [load-thread] rule (a plugin joining its own worker would deadlock). Instead the
// destructor, which runs on a host thread, waits for the calls in flight and for the holds of
// host services whose callbacks are still to run (a plugin often completes its call inside
// such a callback, and its code is still on that I/O thread after complete() returns), and
// only then calls deinit. What the calls and holds need (the sr_host, the entry, the call set)
// lives in instance_core, which they share, so even work that outlives a timed-out wait touches
// no freed memory; the instance is then marked abandoned so its late callbacks are dropped.
plugin_instance::~plugin_instance() {
    if (!core_->initialised()) return;
    if (core_->calls_in_flight() > 0 || core_->holds_in_flight() > 0) core_->cancel_all();
    if (!core_->wait_idle(drain_timeout_)) {
        core_->abandon();
        core_->log(SR_LOG_ERROR, fmt::format("{} call(s) still running {} ms after cancel; deinit skipped and the "
                                             "library left loaded ({} service callback(s) pending, to be dropped)",
                                             core_->calls_in_flight(), drain_timeout_.count(), core_->holds_in_flight()));
        // The plugin's code must stay mapped while those calls may still run: unloading it from
        // whichever thread finishes last would pull the code out from under that thread.
        if (library_) keep_loaded_forever(library_);
        return;
    }
    core_->entry().deinit(core_->plugin());
}

void plugin_instance::init() {
    void* plugin = nullptr;
    sr_status status = core_->entry().init(core_->host(), &plugin);
    if (status != SR_OK)
        throw plugin_refused(core_->file(), fmt::format("init failed: {}", status_name(status)));
    core_->set_initialised(plugin);
}

void plugin_instance::read_manifest() {
    auto refuse = [&](const std::string& reason) { return plugin_refused(core_->file(), reason); };
    sr_str text = core_->entry().manifest(core_->plugin());
    if (text.data == nullptr || text.size == 0) throw refuse("manifest() returned an empty manifest");
    manifest_text_.assign(text.data, text.size);

    boost::system::error_code ec;
    manifest_ = boost::json::parse(manifest_text_, ec);
    if (ec) throw refuse("manifest is not valid JSON: " + ec.message());
    const auto* object = manifest_.if_object();
    if (!object) throw refuse("manifest is not a JSON object");
    const auto* id = object->if_contains("id");
    if (!id || !id->is_string()) throw refuse("manifest has no string \"id\"");
    const auto* version = object->if_contains("version");
    if (!version || !version->is_string()) throw refuse("manifest has no string \"version\"");
    id_ = id->get_string();
    version_ = version->get_string();
    core_->set_id(id_);
}

const std::string& plugin_instance::file() const noexcept { return core_->file(); }
uint32_t plugin_instance::abi_major() const noexcept { return core_->entry().abi_major; }
uint32_t plugin_instance::abi_minor() const noexcept { return core_->entry().abi_minor; }
std::size_t plugin_instance::calls_in_flight() const { return core_->calls_in_flight(); }
std::size_t plugin_instance::callbacks_in_flight() const { return core_->holds_in_flight(); }

std::shared_ptr<cancel_signal> plugin_instance::invoke(call_request request,
                                                       std::function<void(call_outcome)> done) {
    auto signal = std::make_shared<cancel_signal>();
    auto call = std::make_shared<detail::live_call>(core_, std::move(request), id_, signal, std::move(done));
    call->start();
    return signal;
}

} // namespace sr::core
