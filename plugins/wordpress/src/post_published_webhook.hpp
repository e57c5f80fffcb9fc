#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::wordpress {

// wordpress.post_published_webhook: a site posts each published post to the scenario's webhook URL (HMAC-SHA256 signed); the event has the same shape as the polling trigger's.
sdk::trigger post_published_webhook();

} // namespace sr::plugins::wordpress
