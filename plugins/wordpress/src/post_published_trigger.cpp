#include "post_published_trigger.hpp"

#include "poll_cursor.hpp"
#include "post_fields.hpp"
#include "term_options.hpp"
#include "wp_exchange.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace sr::plugins::wordpress {

namespace {

// Pages of already-emitted posts are skipped within one poll only this far; a poll that
// finds nothing new in them leaves the cursor where it was.
constexpr int64_t max_pages_per_poll = 10;

struct poll_plan {
    wp_site site;
    poll_cursor cursor;
    int64_t batch = 50;
    std::string categories; // comma-separated ids, "" for all
};

wp_call posts_call(const poll_plan& plan, bool newest_first, int64_t per_page, int64_t page) {
    wp_call call;
    call.path = "/posts";
    call.query = {{"status", "publish"},
                  {"orderby", "date"},
                  {"order", newest_first ? "desc" : "asc"},
                  {"per_page", std::to_string(per_page)},
                  {"page", std::to_string(page)}};
    if (!newest_first) {
        if (auto after = query_after(plan.cursor); !after.empty()) call.query.emplace_back("after", after);
    }
    if (!plan.categories.empty()) call.query.emplace_back("categories", plan.categories);
    return call;
}

sdk::result events_result(const std::vector<boost::json::value>& posts, const poll_cursor& cursor) {
    boost::json::array events;
    for (const auto& post : posts) events.push_back(post_output(post));
    return sdk::result::success({{"events", std::move(events)}, {"cursor", to_json(cursor)}});
}

void poll_page(sdk::action_context ctx, poll_plan plan, int64_t page, sdk::completion done) {
    const auto call = posts_call(plan, false, plan.batch, page);
    send(ctx, plan.site, call, std::move(done), [ctx, plan, page](wp_reply reply, sdk::completion done) mutable {
        static const boost::json::array no_posts;
        const auto& posts = reply.body.is_array() ? reply.body.get_array() : no_posts;
        auto fresh = new_posts(posts, plan.cursor);
        if (fresh.empty() && page < reply.total_pages && page < max_pages_per_poll) {
            poll_page(ctx, std::move(plan), page + 1, std::move(done));
            return;
        }
        done(events_result(fresh, advance(plan.cursor, fresh)));
    });
}

void start_from_now(const sdk::action_context& ctx, const poll_plan& plan, sdk::completion done) {
    const auto call = posts_call(plan, true, 100, 1);
    send(ctx, plan.site, call, std::move(done), [](wp_reply reply, sdk::completion done) {
        const auto cursor = baseline(reply.body.is_array() ? reply.body.get_array() : boost::json::array());
        done(sdk::result::success({{"events", boost::json::array()}, {"cursor", to_json(cursor)}}));
    });
}

void run_poll(sdk::action_context ctx, sdk::completion done) {
    settings_reader read(ctx.settings());
    poll_plan plan;
    plan.batch = read.integer("batch_size", 1, 100).value_or(50);
    if (auto categories = read.ids("categories", max_categories)) {
        for (auto id : *categories) plan.categories += (plan.categories.empty() ? "" : ",") + std::to_string(id);
    }
    if (!read.ok()) {
        done(read.error());
        return;
    }
    auto parsed = parse_cursor(ctx.cursor());
    if (auto* problem = std::get_if<std::string>(&parsed)) {
        done(sdk::result::fatal("action_validation_failed", *problem));
        return;
    }
    auto site = site_or_fail(ctx, done);
    if (!site) return;
    plan.site = std::move(*site);
    auto& cursor = std::get<std::optional<poll_cursor>>(parsed);
    if (!cursor) {
        start_from_now(ctx, plan, std::move(done));
        return;
    }
    plan.cursor = std::move(*cursor);
    poll_page(ctx, std::move(plan), 1, std::move(done));
}

} // namespace

sdk::trigger post_published_trigger() {
    return sdk::trigger("post_published", "Post published", sdk::trigger_kind::polling)
        .description("Starts the scenario once for each newly published post, oldest first. The first poll "
                     "remembers the newest post and emits nothing; later polls emit each post exactly once.")
        .connection("app_password")
        .poll_interval_s(60)
        .settings_schema(R"({
            "type": "object",
            "properties": {
                "categories": {"type": "array", "maxItems": 10, "uniqueItems": true,
                               "items": {"type": ["integer", "string"], "pattern": "^[0-9]+$", "minimum": 1},
                               "description": "Only posts in one of these categories"},
                "batch_size": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50,
                               "description": "Most posts emitted per poll; the rest follow on the next polls"}
            }
        })")
        .output_schema(post_output_schema())
        .sample_output(post_sample_output())
        .add_field(categories_field())
        .on_poll(run_poll);
}

} // namespace sr::plugins::wordpress
