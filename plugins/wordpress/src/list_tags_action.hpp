#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::wordpress {

// wordpress.list_tags: one page of the site's tags, optionally matching a search.
sdk::action list_tags_action();

} // namespace sr::plugins::wordpress
