// The `wordpress` integration: posts, media, categories and tags of a WordPress site through
// its REST API (/wp-json/wp/v2), called through the host's HTTP service so no thread waits for
// the network, and a "post published" trigger as a cursor-driven poll or a signed webhook.
#include "connection_types.hpp"
#include "create_post_action.hpp"
#include "create_tag_action.hpp"
#include "delete_post_action.hpp"
#include "get_post_action.hpp"
#include "list_categories_action.hpp"
#include "list_posts_action.hpp"
#include "list_tags_action.hpp"
#include "post_published_trigger.hpp"
#include "post_published_webhook.hpp"
#include "update_post_action.hpp"
#include "upload_media_action.hpp"

#include <scenario/sdk.hpp>

namespace sr::plugins::wordpress {

// The plugin package's own semver; bump it when actions, schemas or behaviour change.
constexpr const char* plugin_version = "1.0.0";

sdk::integration make_integration() {
    sdk::integration app("wordpress", "WordPress", plugin_version);
    app.description("Create, update, list and delete posts, upload media and manage tags on a WordPress site "
                    "through its REST API; start scenarios when a post is published.")
        .category("cms")
        .author("Scenario Runtime")
        .icon("FileText")
        .color("#21759B")
        .keywords({"wordpress", "cms", "blog", "content", "posts", "media"})
        .tags({"popular", "cms"})
        .add_connection(app_password_connection())
        .add_connection(bearer_token_connection())
        .add_action(create_post_action())
        .add_action(update_post_action())
        .add_action(get_post_action())
        .add_action(list_posts_action())
        .add_action(delete_post_action())
        .add_action(upload_media_action())
        .add_action(list_categories_action())
        .add_action(list_tags_action())
        .add_action(create_tag_action())
        .add_trigger(post_published_trigger())
        .add_trigger(post_published_webhook());
    return app;
}

} // namespace sr::plugins::wordpress

SR_PLUGIN(sr::plugins::wordpress::make_integration)
