#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::wordpress {

// wordpress.list_categories: one page of the site's categories.
sdk::action list_categories_action();

} // namespace sr::plugins::wordpress
