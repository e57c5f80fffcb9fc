#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::wordpress {

// wordpress.create_tag: creates a tag (POST /wp/v2/tags).
sdk::action create_tag_action();

} // namespace sr::plugins::wordpress
