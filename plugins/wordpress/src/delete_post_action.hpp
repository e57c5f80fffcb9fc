#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::wordpress {

// wordpress.delete_post: moves a post to the trash, or deletes it for good with force.
sdk::action delete_post_action();

} // namespace sr::plugins::wordpress
