#pragma once
#include <scenario/sdk.hpp>

namespace sr::plugins::wordpress {

// wordpress.update_post: changes the given fields of a post (POST /wp/v2/posts/{id}).
sdk::action update_post_action();

} // namespace sr::plugins::wordpress
