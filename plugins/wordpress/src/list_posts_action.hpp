#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::wordpress {

// wordpress.list_posts: one page of posts with filters, and the totals WordPress reports.
sdk::action list_posts_action();

} // namespace sr::plugins::wordpress
