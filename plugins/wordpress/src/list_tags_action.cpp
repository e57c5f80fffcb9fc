#include "list_tags_action.hpp"

#include "term_output.hpp"

#include <utility>

namespace sr::plugins::wordpress {

namespace {

void run_list_tags(sdk::action_context ctx, sdk::completion done) { run_term_listing(ctx, std::move(done), "/tags"); }

} // namespace

sdk::action list_tags_action() {
    return sdk::action("list_tags", "List tags")
        .description("Lists one page of the site's tags, optionally matching a search.")
        .category("taxonomy")
        .side_effects(false)
        .connection("app_password")
        .settings_schema(term_listing_settings_schema())
        .output_schema(term_listing_output_schema())
        .sample_output(R"({
            "items": [{"id": 12, "name": "release", "slug": "release", "count": 3, "description": "",
                       "link": "https://blog.example.com/tag/release/", "taxonomy": "post_tag"}],
            "page": 1, "per_page": 100, "total": 1, "total_pages": 1
        })")
        .run(run_list_tags);
}

} // namespace sr::plugins::wordpress
