#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::wordpress {

// wordpress.get_post: one post by id (GET /wp/v2/posts/{id}, edit context).
sdk::action get_post_action();

} // namespace sr::plugins::wordpress
