#pragma once
// The one way router actions refuse their settings: a fatal action_validation_failed that
// names the setting. Retrying cannot fix a bad setting, so it is never retryable.
#include <scenario/sdk.hpp>

#include <string>
#include <utility>

namespace sr::plugins::router {

inline sdk::result invalid_settings(std::string message) {
    return sdk::result::fatal("action_validation_failed", std::move(message));
}

} // namespace sr::plugins::router
