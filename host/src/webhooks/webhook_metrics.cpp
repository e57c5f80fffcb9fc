#include "webhooks/webhook_metrics.hpp"

namespace sr::host {

void webhook_metrics::count_refused(std::string_view reason) {
    std::lock_guard lock(mutex_);
    auto it = refused_.find(reason);
    if (it == refused_.end()) it = refused_.emplace(std::string(reason), 0).first;
    ++it->second;
}

void webhook_metrics::add(const webhook_metrics_snapshot& counts) {
    accepted_.fetch_add(counts.accepted, std::memory_order_relaxed);
    duplicates_.fetch_add(counts.duplicates, std::memory_order_relaxed);
    challenges_.fetch_add(counts.challenges, std::memory_order_relaxed);
    std::lock_guard lock(mutex_);
    for (const auto& [reason, n] : counts.refused) {
        auto it = refused_.find(reason);
        if (it == refused_.end()) it = refused_.emplace(reason, 0).first;
        it->second += n;
    }
}

webhook_metrics_snapshot webhook_metrics::snapshot() const {
    webhook_metrics_snapshot out;
    out.accepted = accepted_.load(std::memory_order_relaxed);
    out.duplicates = duplicates_.load(std::memory_order_relaxed);
    out.challenges = challenges_.load(std::memory_order_relaxed);
    std::lock_guard lock(mutex_);
    out.refused.insert(refused_.begin(), refused_.end());
    return out;
}

} // namespace sr::host
