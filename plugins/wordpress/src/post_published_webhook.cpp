#include "post_published_webhook.hpp"

#include "post_fields.hpp"
#include "settings_reader.hpp"

#include <string>
#include <utility>

namespace sr::plugins::wordpress {

namespace {

sdk::result not_a_post(const std::string& why) {
    return sdk::result::fatal("action_validation_failed", "the delivery is not a WordPress post: " + why);
}

// "2026-11-22 10:15:00" (WP_Post) -> "2026-11-22T10:15:00" (REST); null when unset.
boost::json::value rest_date(const boost::json::value* v) {
    if (v == nullptr || !v->is_string() || v->get_string().size() < 19) return nullptr;
    std::string s(v->get_string().subview().substr(0, 19));
    if (s == "0000-00-00 00:00:00") return nullptr;
    s[10] = 'T';
    return boost::json::value(std::move(s));
}

boost::json::value id_or_zero(const boost::json::value* v) {
    const auto n = v == nullptr ? std::nullopt : json_integer(*v);
    return n ? *n : 0;
}

// A PHP WP_Post as webhook plugins send it (ID, post_title, post_status, ...), with the
// permalink and terms they usually add beside it.
boost::json::object from_wp_post(const boost::json::object& post, const boost::json::object& envelope) {
    auto text = [&](std::string_view name) -> boost::json::value {
        const auto* v = post.if_contains(name);
        return v != nullptr && v->is_string() ? *v : boost::json::value("");
    };
    boost::json::value link = text("guid");
    for (const char* name : {"permalink", "post_permalink", "link"}) {
        if (const auto* v = envelope.if_contains(name); v != nullptr && v->is_string()) link = *v;
    }
    boost::json::object rest{{"id", id_or_zero(post.if_contains("ID"))},
                             {"type", post.contains("post_type") ? text("post_type") : boost::json::value("post")},
                             {"status", text("post_status")},
                             {"title", text("post_title")},
                             {"content", text("post_content")},
                             {"excerpt", text("post_excerpt")},
                             {"slug", text("post_name")},
                             {"link", link},
                             {"date", rest_date(post.if_contains("post_date"))},
                             {"date_gmt", rest_date(post.if_contains("post_date_gmt"))},
                             {"modified_gmt", rest_date(post.if_contains("post_modified_gmt"))},
                             {"author", id_or_zero(post.if_contains("post_author"))}};
    for (const char* name : {"categories", "tags", "featured_media"}) {
        if (const auto* v = envelope.if_contains(name)) rest[name] = *v;
    }
    return post_output(rest);
}

sdk::result on_delivery(sdk::action_context& ctx) {
    boost::system::error_code ec;
    const auto body = boost::json::parse(ctx.raw_body(), ec);
    if (ec || !body.is_object()) return not_a_post("the body is not a JSON object");
    const auto& envelope = body.get_object();
    // {"post": {...}, ...} (most webhook plugins) or the post itself.
    const auto* inner = envelope.if_contains("post");
    const auto& post = inner != nullptr && inner->is_object() ? inner->get_object() : envelope;
    boost::json::object event;
    if (post.contains("ID") || post.contains("post_title")) {
        event = from_wp_post(post, envelope);
    } else if (post.contains("id")) {
        event = post_output(post);
    } else {
        return not_a_post("it has neither id nor ID");
    }
    const auto id = json_integer(event["id"]);
    if (!id || *id < 1) return not_a_post("its id is not a post id");
    event["id"] = *id;
    boost::json::array events;
    // Sites often send every save; only publications start runs.
    if (event["status"] == "publish") events.push_back(std::move(event));
    return sdk::result::success({{"events", std::move(events)}});
}

} // namespace

sdk::trigger post_published_webhook() {
    return sdk::trigger("post_published_webhook", "Post published (webhook)", sdk::trigger_kind::webhook)
        .description("Starts the scenario when the site posts a published post to the scenario's webhook URL "
                     "(signed with HMAC-SHA256). Accepts a REST post, a WP_Post object, or either under \"post\"; "
                     "deliveries of posts that are not published start nothing.")
        .verification(sdk::webhook_verification::hmac_sha256)
        .settings_schema(R"({"type": "object", "properties": {}})")
        .output_schema(post_output_schema())
        .sample_output(post_sample_output())
        .on_webhook(on_delivery);
}

} // namespace sr::plugins::wordpress
