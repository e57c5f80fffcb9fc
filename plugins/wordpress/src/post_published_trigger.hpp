#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::wordpress {

// wordpress.post_published: polls for newly published posts with a durable cursor (see poll_cursor.hpp); each event is one post, oldest first.
sdk::trigger post_published_trigger();

} // namespace sr::plugins::wordpress
