#include "api/field_options_cache.hpp"

namespace sr::host {

std::optional<boost::json::value> field_options_cache::find(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    if (it->second.expires <= std::chrono::steady_clock::now()) {
        entries_.erase(it);
        return std::nullopt;
    }
    return it->second.options;
}

void field_options_cache::put(const std::string& key, boost::json::value options, std::chrono::seconds ttl) {
    if (ttl.count() <= 0) return;
    std::lock_guard lock(mutex_);
    if (entries_.size() >= capacity_) {
        // Expired entries first; if that is not enough, everything: a cache, not a store.
        const auto now = std::chrono::steady_clock::now();
        for (auto it = entries_.begin(); it != entries_.end();)
            it = it->second.expires <= now ? entries_.erase(it) : std::next(it);
        if (entries_.size() >= capacity_) entries_.clear();
    }
    entries_[key] = {std::move(options), std::chrono::steady_clock::now() + ttl};
}

} // namespace sr::host
