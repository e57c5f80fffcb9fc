#include "create_post_action.hpp"

#include "post_fields.hpp"
#include "term_options.hpp"
#include "wp_exchange.hpp"

#include <utility>
#include <variant>

namespace sr::plugins::wordpress {

namespace {

void run_create_post(sdk::action_context ctx, sdk::completion done) {
    auto body = post_body(ctx.settings(), true);
    if (auto* error = std::get_if<sdk::result>(&body)) {
        done(*error);
        return;
    }
    auto site = site_or_fail(ctx, done);
    if (!site) return;
    wp_call call;
    call.method = "POST";
    call.path = "/posts";
    call.body = boost::json::serialize(std::get<boost::json::object>(body));
    send(ctx, *site, call, std::move(done), [](wp_reply reply, sdk::completion done) {
        done(sdk::result::success(post_output(reply.body)));
    });
}

boost::json::object create_settings_schema() {
    return {{"type", "object"}, {"properties", post_setting_properties()}, {"required", {"title", "content"}}};
}

} // namespace

sdk::action create_post_action() {
    return sdk::action("create_post", "Create post")
        .description("Creates a post with title, content, status, categories, tags and a featured image.")
        .category("content")
        .side_effects(true)
        .connection("app_password")
        .settings_schema(create_settings_schema())
        .output_schema(post_output_schema())
        .sample_output(post_sample_output())
        .add_field(categories_field())
        .add_field(tags_field())
        .compensation("delete_post", boost::json::object{{"id", "{{output.id}}"}})
        .run(run_create_post);
}

} // namespace sr::plugins::wordpress
