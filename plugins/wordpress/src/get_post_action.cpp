#include "get_post_action.hpp"

#include "post_fields.hpp"
#include "wp_exchange.hpp"

#include <cstdint>
#include <limits>
#include <utility>

namespace sr::plugins::wordpress {

namespace {

void run_get_post(sdk::action_context ctx, sdk::completion done) {
    settings_reader read(ctx.settings());
    const auto id = read.integer("id", 1, std::numeric_limits<int64_t>::max(), true);
    if (!read.ok()) {
        done(read.error());
        return;
    }
    auto site = site_or_fail(ctx, done);
    if (!site) return;
    wp_call call;
    call.path = "/posts/" + std::to_string(*id);
    call.query = {{"context", "edit"}}; // raw title and content, and drafts
    send(ctx, *site, call, std::move(done), [](wp_reply reply, sdk::completion done) {
        done(sdk::result::success(post_output(reply.body)));
    });
}

} // namespace

sdk::action get_post_action() {
    return sdk::action("get_post", "Get post")
        .description("Fetches one post by id, drafts included.")
        .category("content")
        .side_effects(false)
        .connection("app_password")
        .settings_schema(R"({
            "type": "object",
            "properties": {"id": {"type": ["integer", "string"], "pattern": "^[0-9]+$", "minimum": 1}},
            "required": ["id"]
        })")
        .output_schema(post_output_schema())
        .sample_output(post_sample_output())
        .run(run_get_post);
}

} // namespace sr::plugins::wordpress
