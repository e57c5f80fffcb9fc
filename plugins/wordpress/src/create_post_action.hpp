#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::wordpress {

// wordpress.create_post: creates a post (POST /wp/v2/posts); undone by delete_post.
sdk::action create_post_action();

} // namespace sr::plugins::wordpress
