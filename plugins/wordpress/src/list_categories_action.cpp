#include "list_categories_action.hpp"

#include "term_output.hpp"

#include <utility>

namespace sr::plugins::wordpress {

namespace {

void run_list_categories(sdk::action_context ctx, sdk::completion done) {
    run_term_listing(ctx, std::move(done), "/categories");
}

} // namespace

sdk::action list_categories_action() {
    return sdk::action("list_categories", "List categories")
        .description("Lists one page of the site's categories, optionally matching a search.")
        .category("taxonomy")
        .side_effects(false)
        .connection("app_password")
        .settings_schema(term_listing_settings_schema())
        .output_schema(term_listing_output_schema())
        .sample_output(R"({
            "items": [{"id": 7, "name": "News", "slug": "news", "count": 12, "description": "",
                       "link": "https://blog.example.com/category/news/", "taxonomy": "category", "parent": 0}],
            "page": 1, "per_page": 100, "total": 1, "total_pages": 1
        })")
        .run(run_list_categories);
}

} // namespace sr::plugins::wordpress
