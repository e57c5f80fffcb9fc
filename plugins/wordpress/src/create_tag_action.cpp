#include "create_tag_action.hpp"

#include "settings_reader.hpp"
#include "term_output.hpp"
#include "wp_exchange.hpp"

#include <utility>

namespace sr::plugins::wordpress {

namespace {

void run_create_tag(sdk::action_context ctx, sdk::completion done) {
    settings_reader read(ctx.settings());
    boost::json::object body;
    if (auto name = read.text("name", 200, true)) body["name"] = *name;
    if (auto slug = read.text("slug", 200)) body["slug"] = *slug;
    if (auto description = read.text("description", 1000)) body["description"] = *description;
    if (!read.ok()) {
        done(read.error());
        return;
    }
    auto site = site_or_fail(ctx, done);
    if (!site) return;
    wp_call call;
    call.method = "POST";
    call.path = "/tags";
    call.body = boost::json::serialize(body);
    // An existing name is WordPress's 400 term_exists: action_validation_failed whose output
    // carries wp_data.term_id, the existing tag.
    send(ctx, *site, call, std::move(done), [](wp_reply reply, sdk::completion done) {
        done(sdk::result::success(term_output(reply.body)));
    });
}

} // namespace

sdk::action create_tag_action() {
    return sdk::action("create_tag", "Create tag")
        .description("Creates a tag. A name that already exists fails with action_validation_failed "
                     "(WordPress's term_exists) and the existing tag's id in the error output (wp_data.term_id).")
        .category("taxonomy")
        .side_effects(true)
        .connection("app_password")
        .settings_schema(R"({
            "type": "object",
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 200},
                "slug": {"type": "string", "maxLength": 200},
                "description": {"type": "string", "maxLength": 1000}
            },
            "required": ["name"]
        })")
        .output_schema(R"({
            "type": "object",
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "slug": {"type": "string"},
                           "count": {"type": "integer"}, "description": {"type": "string"},
                           "link": {"type": "string"}, "taxonomy": {"type": "string"}},
            "required": ["id", "name", "slug"]
        })")
        .sample_output(R"({"id": 12, "name": "release", "slug": "release", "count": 0, "description": "",
                          "link": "https://blog.example.com/tag/release/", "taxonomy": "post_tag"})")
        .run(run_create_tag);
}

} // namespace sr::plugins::wordpress
