#include "term_options.hpp"

#include "wp_exchange.hpp"

#include <string>
#include <utility>

namespace sr::plugins::wordpress {

namespace {

// Categories are few but unbounded: follow X-WP-TotalPages up to a bound that keeps an
// editor's dropdown responsive.
constexpr int64_t max_category_pages = 5;

void fetch_category_page(sdk::action_context ctx, wp_site site, int64_t page, boost::json::array collected,
                         sdk::completion done) {
    wp_call call;
    call.path = "/categories";
    call.query = {{"per_page", "100"}, {"page", std::to_string(page)}, {"orderby", "name"}, {"order", "asc"},
                  {"hide_empty", "false"}, {"_fields", "id,name,parent"}};
    send(ctx, site, call, std::move(done),
         [ctx, site, page, collected = std::move(collected)](wp_reply reply, sdk::completion done) mutable {
             for (auto& option : term_options(reply.body)) collected.push_back(std::move(option));
             if (page < reply.total_pages && page < max_category_pages) {
                 fetch_category_page(ctx, site, page + 1, std::move(collected), std::move(done));
                 return;
             }
             done(sdk::result::success({{"options", std::move(collected)}}));
         });
}

void category_options(sdk::action_context ctx, sdk::completion done) {
    auto site = site_or_fail(ctx, done);
    if (!site) return;
    fetch_category_page(ctx, std::move(*site), 1, {}, std::move(done));
}

void tag_options(sdk::action_context ctx, sdk::completion done) {
    auto site = site_or_fail(ctx, done);
    if (!site) return;
    wp_call call;
    call.path = "/tags";
    call.query = {{"per_page", "100"}, {"orderby", "count"}, {"order", "desc"}, {"hide_empty", "false"},
                  {"_fields", "id,name"}};
    if (const auto* search = ctx.settings().if_contains("tag_search"); search != nullptr && search->is_string()) {
        if (!search->get_string().empty()) call.query.emplace_back("search", std::string(search->get_string()));
    }
    send(ctx, *site, call, std::move(done), [](wp_reply reply, sdk::completion done) {
        done(sdk::result::success({{"options", term_options(reply.body)}}));
    });
}

} // namespace

boost::json::array term_options(const boost::json::value& terms) {
    boost::json::array options;
    if (!terms.is_array()) return options;
    for (const auto& t : terms.get_array()) {
        const auto* o = t.if_object();
        if (o == nullptr || !o->contains("id")) continue;
        const auto* name = o->if_contains("name");
        options.push_back(boost::json::object{
            {"value", o->at("id")},
            {"label", name != nullptr && name->is_string() ? name->get_string() : boost::json::string()}});
    }
    return options;
}

sdk::dynamic_field categories_field() {
    return sdk::dynamic_field("categories", sdk::field_type::multi_select)
        .label("Categories")
        .depends_on({"connection"})
        .cache_ttl_s(term_options_ttl_s)
        .options(category_options);
}

sdk::dynamic_field tags_field() {
    return sdk::dynamic_field("tags", sdk::field_type::multi_select)
        .label("Tags")
        .depends_on({"connection", "tag_search"})
        .cache_ttl_s(term_options_ttl_s)
        .options(tag_options);
}

} // namespace sr::plugins::wordpress
