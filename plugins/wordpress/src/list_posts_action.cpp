#include "list_posts_action.hpp"

#include "post_fields.hpp"
#include "term_options.hpp"
#include "wp_exchange.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sr::plugins::wordpress {

namespace {

std::string joined(const std::vector<int64_t>& ids) {
    std::string out;
    for (auto id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
    return out;
}

void run_list_posts(sdk::action_context ctx, sdk::completion done) {
    settings_reader read(ctx.settings());
    const auto page = read.integer("page", 1, 100000).value_or(1);
    const auto per_page = read.integer("per_page", 1, 100).value_or(10);
    const auto search = read.text("search", 200);
    const auto status = read.choice("status", {"publish", "draft", "pending", "private", "future", "trash", "any"});
    const auto categories = read.ids("categories", max_categories);
    const auto tags = read.ids("tags", max_tags);
    const auto orderby = read.choice("orderby", {"date", "modified", "title", "id"});
    const auto order = read.choice("order", {"asc", "desc"});
    read.text("tag_search", 100);
    if (!read.ok()) {
        done(read.error());
        return;
    }
    auto site = site_or_fail(ctx, done);
    if (!site) return;

    wp_call call;
    call.path = "/posts";
    call.query = {{"page", std::to_string(page)}, {"per_page", std::to_string(per_page)}};
    if (search && !search->empty()) call.query.emplace_back("search", *search);
    if (status) call.query.emplace_back("status", *status);
    if (categories && !categories->empty()) call.query.emplace_back("categories", joined(*categories));
    if (tags && !tags->empty()) call.query.emplace_back("tags", joined(*tags));
    if (orderby) call.query.emplace_back("orderby", *orderby);
    if (order) call.query.emplace_back("order", *order);
    send(ctx, *site, call, std::move(done), [page, per_page](wp_reply reply, sdk::completion done) {
        boost::json::array items;
        if (reply.body.is_array()) {
            for (const auto& post : reply.body.get_array()) items.push_back(post_output(post));
        }
        const auto count = static_cast<int64_t>(items.size());
        done(sdk::result::success({{"items", std::move(items)},
                                   {"page", page},
                                   {"per_page", per_page},
                                   {"total", reply.total >= 0 ? reply.total : count},
                                   {"total_pages", reply.total_pages >= 0 ? reply.total_pages : (count > 0 ? 1 : 0)}}));
    });
}

boost::json::object list_settings_schema() {
    auto post = post_setting_properties();
    boost::json::object properties{
        {"page", boost::json::parse(R"({"type": "integer", "minimum": 1, "maximum": 100000, "default": 1})")},
        {"per_page", boost::json::parse(R"({"type": "integer", "minimum": 1, "maximum": 100, "default": 10})")},
        {"search", boost::json::parse(R"({"type": "string", "maxLength": 200})")},
        {"status", boost::json::parse(
                       R"({"type": "string", "enum": ["publish", "draft", "pending", "private", "future", "trash", "any"]})")},
        {"categories", post.at("categories")},
        {"tags", post.at("tags")},
        {"tag_search", post.at("tag_search")},
        {"orderby", boost::json::parse(R"({"type": "string", "enum": ["date", "modified", "title", "id"]})")},
        {"order", boost::json::parse(R"({"type": "string", "enum": ["asc", "desc"]})")}};
    return {{"type", "object"}, {"properties", std::move(properties)}};
}

} // namespace

sdk::action list_posts_action() {
    return sdk::action("list_posts", "List posts")
        .description("Lists one page of posts, filtered by search text, status, categories and tags; "
                     "total and total_pages come from WordPress (X-WP-Total, X-WP-TotalPages).")
        .category("content")
        .side_effects(false)
        .connection("app_password")
        .settings_schema(list_settings_schema())
        .output_schema(R"({
            "type": "object",
            "properties": {
                "items": {"type": "array", "items": {"type": "object"}},
                "page": {"type": "integer"}, "per_page": {"type": "integer"},
                "total": {"type": "integer"}, "total_pages": {"type": "integer"}
            },
            "required": ["items", "total", "total_pages"]
        })")
        .sample_output(boost::json::object{{"items", boost::json::array{boost::json::parse(post_sample_output())}},
                                           {"page", 1},
                                           {"per_page", 10},
                                           {"total", 1},
                                           {"total_pages", 1}})
        .add_field(categories_field())
        .add_field(tags_field())
        .run(run_list_posts);
}

} // namespace sr::plugins::wordpress
