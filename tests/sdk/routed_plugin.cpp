#include "routed_plugin.hpp"

#include <boost/json.hpp>

#include <atomic>
#include <stdexcept>

namespace sr::test {

namespace {

std::atomic<routed_plugin*> active_plugin{nullptr};

} // namespace

route_handles read_route(const sr_result& result) {
    if (!SR_HAS_FIELD(&result, sr_result, route_json) || result.route_json.size == 0) return std::nullopt;
    boost::system::error_code ec;
    const auto value = boost::json::parse(copy(result.route_json), ec);
    if (ec || !value.is_array()) throw std::invalid_argument("route_json is not a JSON array");
    std::vector<std::string> handles;
    for (const auto& h : value.get_array()) {
        if (!h.is_string()) throw std::invalid_argument("route_json holds a handle that is not a string");
        handles.emplace_back(h.get_string());
    }
    return handles;
}

routed_plugin::routed_plugin(const sr_plugin_entry* entry, test_host& host) : entry_(entry), host_(*host.host()) {
    forward_ = host_.complete;
    host_.complete = &on_complete;
    routed_plugin* expected = nullptr;
    if (!active_plugin.compare_exchange_strong(expected, this)) throw std::logic_error("one routed_plugin at a time");
    const sr_status status = entry_->init(&host_, &instance_);
    if (status != SR_OK) {
        active_plugin.store(nullptr);
        throw std::runtime_error("plugin init failed with status " + std::to_string(status));
    }
}

routed_plugin::~routed_plugin() {
    entry_->deinit(instance_);
    active_plugin.store(nullptr);
}

std::string routed_plugin::manifest() const { return copy(entry_->manifest(instance_)); }

sr_status routed_plugin::execute(const test_call& call) const { return entry_->execute(instance_, call.get()); }

std::optional<route_record> routed_plugin::route_of(const test_call& call) const {
    std::lock_guard lock(mutex_);
    auto it = records_.find(call.get());
    if (it == records_.end()) return std::nullopt;
    return it->second;
}

sr_status routed_plugin::on_complete(const sr_call* call, const sr_result* result) {
    routed_plugin* self = active_plugin.load();
    route_record r;
    r.struct_size = result->struct_size;
    r.has_route_field = SR_HAS_FIELD(result, sr_result, route_json);
    if (r.has_route_field) r.route_json = copy(result->route_json);
    try {
        r.route = read_route(*result);
    } catch (const std::exception& e) {
        r.route_error = e.what(); // never thrown through the plugin's complete()
    }
    {
        std::lock_guard lock(self->mutex_);
        self->records_.emplace(call, std::move(r)); // keeps the first
    }
    return self->forward_(call, result);
}

} // namespace sr::test
