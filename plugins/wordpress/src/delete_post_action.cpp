#include "delete_post_action.hpp"

#include "post_fields.hpp"
#include "wp_exchange.hpp"

#include <cstdint>
#include <limits>
#include <utility>

namespace sr::plugins::wordpress {

namespace {

void run_delete_post(sdk::action_context ctx, sdk::completion done) {
    settings_reader read(ctx.settings());
    const auto id = read.integer("id", 1, std::numeric_limits<int64_t>::max(), true);
    const bool force = read.boolean("force").value_or(false);
    if (!read.ok()) {
        done(read.error());
        return;
    }
    auto site = site_or_fail(ctx, done);
    if (!site) return;
    wp_call call;
    call.method = "DELETE";
    call.path = "/posts/" + std::to_string(*id);
    if (force) call.query = {{"force", "true"}};
    send(ctx, *site, call, std::move(done), [id = *id, force](wp_reply reply, sdk::completion done) {
        // force: {"deleted": true, "previous": {...}}; trash: the post, now "trash".
        const auto* o = reply.body.if_object();
        const boost::json::value* previous = o != nullptr ? o->if_contains("previous") : nullptr;
        boost::json::object post = post_output(force && previous != nullptr ? *previous : reply.body);
        boost::json::value status = force ? boost::json::value("deleted") : post.at("status");
        done(sdk::result::success(
            boost::json::object{{"id", id}, {"deleted", force}, {"status", std::move(status)}, {"post", std::move(post)}}));
    });
}

} // namespace

sdk::action delete_post_action() {
    return sdk::action("delete_post", "Delete post")
        .description("Moves a post to the trash, or with force deletes it permanently.")
        .category("content")
        .side_effects(true)
        .connection("app_password")
        .settings_schema(R"({
            "type": "object",
            "properties": {
                "id": {"type": ["integer", "string"], "pattern": "^[0-9]+$", "minimum": 1},
                "force": {"type": "boolean", "default": false, "description": "Delete permanently instead of trashing"}
            },
            "required": ["id"]
        })")
        .output_schema(R"({
            "type": "object",
            "properties": {
                "id": {"type": "integer"}, "deleted": {"type": "boolean"},
                "status": {"type": "string"}, "post": {"type": "object"}
            },
            "required": ["id", "deleted", "status"]
        })")
        .sample_output(R"({"id": 1042, "deleted": false, "status": "trash",
                          "post": {"id": 1042, "type": "post", "status": "trash", "title": "Hello from Scenario Runtime",
                                   "content": "", "excerpt": "", "slug": "hello-from-scenario-runtime",
                                   "link": "https://blog.example.com/?p=1042", "date": "2026-11-22T10:15:00",
                                   "date_gmt": "2026-11-22T10:15:00", "modified_gmt": "2026-11-22T10:20:00",
                                   "author": 1, "categories": [1], "tags": [], "featured_media": 0}})")
        .run(run_delete_post);
}

} // namespace sr::plugins::wordpress
