#include "update_post_action.hpp"

#include "post_fields.hpp"
#include "term_options.hpp"
#include "wp_exchange.hpp"

#include <cstdint>
#include <limits>
#include <utility>
#include <variant>

namespace sr::plugins::wordpress {

namespace {

void run_update_post(sdk::action_context ctx, sdk::completion done) {
    settings_reader read(ctx.settings());
    const auto id = read.integer("id", 1, std::numeric_limits<int64_t>::max(), true);
    if (!read.ok()) {
        done(read.error());
        return;
    }
    auto settings = ctx.settings();
    settings.erase("id");
    auto body = post_body(settings, false);
    if (auto* error = std::get_if<sdk::result>(&body)) {
        done(*error);
        return;
    }
    if (std::get<boost::json::object>(body).empty()) {
        done(sdk::result::fatal("action_validation_failed", "settings name nothing to change besides id"));
        return;
    }
    auto site = site_or_fail(ctx, done);
    if (!site) return;
    wp_call call;
    call.method = "POST";
    call.path = "/posts/" + std::to_string(*id);
    call.body = boost::json::serialize(std::get<boost::json::object>(body));
    send(ctx, *site, call, std::move(done), [](wp_reply reply, sdk::completion done) {
        done(sdk::result::success(post_output(reply.body)));
    });
}

boost::json::object update_settings_schema() {
    auto properties = post_setting_properties();
    properties["id"] = boost::json::parse(R"({"type": ["integer", "string"], "pattern": "^[0-9]+$", "minimum": 1})");
    return {{"type", "object"}, {"properties", std::move(properties)}, {"required", {"id"}}};
}

} // namespace

sdk::action update_post_action() {
    return sdk::action("update_post", "Update post")
        .description("Changes the title, content, status, categories, tags or featured image of a post; "
                     "fields left out stay as they are.")
        .category("content")
        .side_effects(true)
        .connection("app_password")
        .settings_schema(update_settings_schema())
        .output_schema(post_output_schema())
        .sample_output(post_sample_output())
        .add_field(categories_field())
        .add_field(tags_field())
        .run(run_update_post);
}

} // namespace sr::plugins::wordpress
