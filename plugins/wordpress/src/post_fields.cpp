#include "post_fields.hpp"

#include "json_member.hpp"

#include <cstdint>
#include <limits>

namespace sr::plugins::wordpress {

namespace {

boost::json::array to_json(const std::vector<int64_t>& ids) {
    boost::json::array a;
    for (auto id : ids) a.emplace_back(id);
    return a;
}

// {"raw": ..., "rendered": ...} -> raw when present, else rendered; a plain string as is.
boost::json::value text_of(const boost::json::object& post, std::string_view name) {
    const auto* v = post.if_contains(name);
    if (v == nullptr) return "";
    if (v->is_string()) return *v;
    if (const auto* o = v->if_object()) {
        if (const auto* raw = o->if_contains("raw"); raw != nullptr && raw->is_string()) return *raw;
        if (const auto* rendered = o->if_contains("rendered"); rendered != nullptr && rendered->is_string()) {
            return *rendered;
        }
    }
    return "";
}

} // namespace

boost::json::object post_setting_properties() {
    return boost::json::parse(R"json({
        "title": {"type": "string", "minLength": 1, "maxLength": 200, "description": "Post title"},
        "content": {"type": "string", "minLength": 1, "maxLength": 10000, "description": "Post body, HTML"},
        "status": {"type": "string", "enum": ["draft", "publish", "private", "pending"], "default": "draft"},
        "excerpt": {"type": "string", "maxLength": 1000},
        "slug": {"type": "string", "maxLength": 200},
        "categories": {"type": "array", "maxItems": 10, "uniqueItems": true,
                       "items": {"type": ["integer", "string"], "pattern": "^[0-9]+$", "minimum": 1},
                       "description": "Category ids (dynamic options from the site)"},
        "tags": {"type": "array", "maxItems": 20, "uniqueItems": true,
                 "items": {"type": ["integer", "string"], "pattern": "^[0-9]+$", "minimum": 1},
                 "description": "Tag ids (dynamic options, filtered by tag_search)"},
        "tag_search": {"type": "string", "maxLength": 100,
                       "description": "Narrows the tags field's options to tags matching this text"},
        "featured_media": {"type": ["integer", "string"], "pattern": "^[0-9]+$", "minimum": 0,
                           "description": "Media id of the featured image (0 removes it)"}
    })json")
        .as_object();
}

std::variant<boost::json::object, sdk::result> post_body(const boost::json::object& settings, bool require_content) {
    settings_reader read(settings);
    boost::json::object body;
    if (auto title = read.text("title", max_title_chars, require_content)) body["title"] = *title;
    if (auto content = read.text("content", max_content_chars, require_content)) body["content"] = *content;
    if (auto status = read.choice("status", {"draft", "publish", "private", "pending"})) body["status"] = *status;
    if (auto excerpt = read.text("excerpt", max_excerpt_chars)) body["excerpt"] = *excerpt;
    if (auto slug = read.text("slug", 200)) body["slug"] = *slug;
    if (auto categories = read.ids("categories", max_categories)) body["categories"] = to_json(*categories);
    if (auto tags = read.ids("tags", max_tags)) body["tags"] = to_json(*tags);
    if (auto media = read.integer("featured_media", 0, std::numeric_limits<int64_t>::max())) body["featured_media"] = *media;
    read.text("tag_search", 100);
    if (!read.ok()) return read.error();
    if (require_content && !body.contains("status")) body["status"] = "draft";
    return body;
}

boost::json::object post_output(const boost::json::value& wp_post) {
    static const boost::json::object empty;
    const auto& post = wp_post.is_object() ? wp_post.get_object() : empty;
    boost::json::object out;
    out["id"] = member_or(post, "id", 0);
    out["type"] = member_or(post, "type", "post");
    out["status"] = member_or(post, "status", "");
    out["title"] = text_of(post, "title");
    out["content"] = text_of(post, "content");
    out["excerpt"] = text_of(post, "excerpt");
    out["slug"] = member_or(post, "slug", "");
    out["link"] = member_or(post, "link", "");
    out["date"] = member_or(post, "date", nullptr);
    out["date_gmt"] = member_or(post, "date_gmt", nullptr);
    out["modified_gmt"] = member_or(post, "modified_gmt", nullptr);
    out["author"] = member_or(post, "author", 0);
    out["categories"] = member_or(post, "categories", boost::json::array());
    out["tags"] = member_or(post, "tags", boost::json::array());
    out["featured_media"] = member_or(post, "featured_media", 0);
    return out;
}

const char* post_output_schema() {
    return R"({
        "type": "object",
        "properties": {
            "id": {"type": "integer"}, "type": {"type": "string"}, "status": {"type": "string"},
            "title": {"type": "string"}, "content": {"type": "string"}, "excerpt": {"type": "string"},
            "slug": {"type": "string"}, "link": {"type": "string"},
            "date": {"type": ["string", "null"]}, "date_gmt": {"type": ["string", "null"]},
            "modified_gmt": {"type": ["string", "null"]}, "author": {"type": "integer"},
            "categories": {"type": "array", "items": {"type": "integer"}},
            "tags": {"type": "array", "items": {"type": "integer"}},
            "featured_media": {"type": "integer"}
        },
        "required": ["id", "status", "title", "link"]
    })";
}

const char* post_sample_output() {
    return R"({
        "id": 1042, "type": "post", "status": "publish", "title": "Hello from Scenario Runtime",
        "content": "<p>Posted by a scenario.</p>", "excerpt": "", "slug": "hello-from-scenario-runtime",
        "link": "https://blog.example.com/hello-from-scenario-runtime/",
        "date": "2026-11-22T10:15:00", "date_gmt": "2026-11-22T10:15:00", "modified_gmt": "2026-11-22T10:15:00",
        "author": 1, "categories": [1, 7], "tags": [12], "featured_media": 88
    })";
}

} // namespace sr::plugins::wordpress
