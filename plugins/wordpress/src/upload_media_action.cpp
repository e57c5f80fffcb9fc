#include "upload_media_action.hpp"

#include "base64.hpp"
#include "json_member.hpp"
#include "settings_reader.hpp"
#include "wp_exchange.hpp"
#include "wp_time.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace sr::plugins::wordpress {

namespace {

constexpr uint64_t max_media_bytes = 16ull * 1024 * 1024;

struct upload {
    std::string filename, content_type, bytes;
    query_params fields; // title, alt_text, caption: WordPress reads them from the query
};

// A file name that is safe inside Content-Disposition's quoted string.
bool valid_filename(std::string_view name) {
    return !name.empty() && name != "." && name != ".." && std::none_of(name.begin(), name.end(), [](unsigned char c) {
        return c < 0x20 || c == 0x7F || c == '"' || c == '\\' || c == '/';
    });
}

bool valid_media_type(std::string_view type) {
    const auto slash = type.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == type.size()) return false;
    return type.find('/', slash + 1) == std::string_view::npos &&
           std::all_of(type.begin(), type.end(), [](unsigned char c) {
               return std::isalnum(c) || c == '/' || c == '.' || c == '+' || c == '-' || c == '_';
           });
}

// "image/png; charset=x" -> "image/png".
std::string bare_media_type(std::string_view value) {
    value = value.substr(0, value.find(';'));
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    std::string out(value);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

boost::json::object media_output(const boost::json::value& media) {
    static const boost::json::object empty;
    const auto& m = media.is_object() ? media.get_object() : empty;
    boost::json::value title = "";
    if (const auto* t = m.if_contains("title"); t != nullptr && t->is_object()) {
        const auto& o = t->get_object();
        title = o.contains("raw") ? o.at("raw") : member_or(o, "rendered", "");
    }
    boost::json::object out{{"id", member_or(m, "id", 0)},
                            {"source_url", member_or(m, "source_url", "")},
                            {"mime_type", member_or(m, "mime_type", "")},
                            {"media_type", member_or(m, "media_type", "")},
                            {"title", title},
                            {"alt_text", member_or(m, "alt_text", "")},
                            {"link", member_or(m, "link", "")},
                            {"width", nullptr},
                            {"height", nullptr}};
    if (const auto* d = m.if_contains("media_details"); d != nullptr && d->is_object()) {
        out["width"] = member_or(d->get_object(), "width", nullptr);
        out["height"] = member_or(d->get_object(), "height", nullptr);
    }
    return out;
}

void post_media(const sdk::action_context& ctx, const wp_site& site, upload file, sdk::completion done) {
    wp_call call;
    call.method = "POST";
    call.path = "/media";
    call.query = std::move(file.fields);
    call.content_type = file.content_type;
    call.extra_headers = {{"Content-Disposition", "attachment; filename=\"" + file.filename + "\""}};
    call.body = std::move(file.bytes);
    send(ctx, site, call, std::move(done), [](wp_reply reply, sdk::completion done) {
        done(sdk::result::success(media_output(reply.body)));
    });
}

// The source's own errors. Its URL may hold tokens, so messages never show it.
std::optional<sdk::result> source_error(const sdk::http_response& r) {
    switch (r.status) {
    case SR_OK: break;
    case SR_ERR_TIMEOUT: return sdk::result::retryable("action_timeout", "fetching the media source timed out");
    case SR_ERR_CONNECT:
    case SR_ERR_IO: return sdk::result::retryable("connection_failed", "fetching the media source failed");
    case SR_ERR_TOO_LARGE: return sdk::result::invalid_settings("the media source is larger than 16 MiB");
    default: return sdk::result::fatal("action_execution_failed", "fetching the media source failed");
    }
    const std::string answered = "the media source answered HTTP " + std::to_string(r.http_status);
    if (r.http_status == 429 || r.http_status >= 500) {
        return sdk::result::retryable("action_execution_failed", answered, retry_after_ms(r, now_unix_ms()));
    }
    if (r.http_status == 404) return sdk::result::fatal("not_found", answered);
    if (r.http_status < 200 || r.http_status >= 300) return sdk::result::fatal("action_execution_failed", answered);
    return std::nullopt;
}

void fetch_and_post(const sdk::action_context& ctx, wp_site site, const std::string& source_url, upload file,
                    sdk::completion done) {
    // Fetched without the site's credentials: they belong to WordPress alone.
    sdk::http_request fetch;
    fetch.url = source_url;
    fetch.max_response_bytes = max_media_bytes;
    ctx.http().request(fetch, [ctx, site = std::move(site), file = std::move(file),
                               done = std::move(done)](sdk::http_response r) mutable {
        if (auto error = source_error(r)) {
            done(*error);
            return;
        }
        if (file.content_type.empty()) {
            const std::string* type = r.header("content-type");
            const std::string bare = type != nullptr ? bare_media_type(*type) : std::string();
            file.content_type = valid_media_type(bare) ? bare : "application/octet-stream";
        }
        file.bytes = std::move(r.body);
        post_media(ctx, site, std::move(file), std::move(done));
    });
}

void run_upload_media(sdk::action_context ctx, sdk::completion done) {
    settings_reader read(ctx.settings());
    const auto source_url = read.text("source_url", 2048);
    const auto data = read.text("data_base64", max_media_bytes / 3 * 4 + 1024);
    upload file;
    file.filename = read.text("filename", 200, true).value_or("");
    file.content_type = read.text("content_type", 200).value_or("");
    if (auto title = read.text("title", 200)) file.fields.emplace_back("title", *title);
    if (auto alt = read.text("alt_text", 500)) file.fields.emplace_back("alt_text", *alt);
    if (auto caption = read.text("caption", 1000)) file.fields.emplace_back("caption", *caption);
    std::optional<sdk::result> problem;
    if (!read.ok()) {
        problem = read.error();
    } else if (!valid_filename(file.filename)) {
        problem = sdk::result::invalid_settings(
                "settings.filename must be a plain file name (no /, \\, quotes or control characters)");
    } else if (source_url.has_value() == data.has_value()) {
        problem = sdk::result::invalid_settings("settings must give exactly one of source_url and data_base64");
    } else if (!file.content_type.empty() && !valid_media_type(file.content_type)) {
        problem = sdk::result::invalid_settings("settings.content_type must be a media type such as image/png");
    } else if (data && file.content_type.empty()) {
        problem = sdk::result::invalid_settings("settings.content_type is required with data_base64");
    } else if (source_url && !(source_url->starts_with("http://") || source_url->starts_with("https://"))) {
        problem = sdk::result::invalid_settings("settings.source_url must be an http:// or https:// URL");
    }
    if (problem) {
        done(*problem);
        return;
    }
    auto site = site_or_fail(ctx, done);
    if (!site) return;
    if (source_url) {
        fetch_and_post(ctx, std::move(*site), *source_url, std::move(file), std::move(done));
        return;
    }
    auto bytes = base64_decode(*data);
    if (!bytes || bytes->empty()) {
        done(sdk::result::invalid_settings("settings.data_base64 must be non-empty base64"));
        return;
    }
    file.bytes = std::move(*bytes);
    post_media(ctx, *site, std::move(file), std::move(done));
}

} // namespace

sdk::action upload_media_action() {
    return sdk::action("upload_media", "Upload media")
        .description("Uploads a file to the media library, fetched from source_url or given as data_base64, "
                     "with its file name and content type; the output id can be a post's featured_media.")
        .category("media")
        .side_effects(true)
        .connection("app_password")
        .settings_schema(R"({
            "type": "object",
            "properties": {
                "source_url": {"type": "string", "pattern": "^https?://", "maxLength": 2048},
                "data_base64": {"type": "string"},
                "filename": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[^/\\\\\"]+$"},
                "content_type": {"type": "string", "pattern": "^[A-Za-z0-9.+_-]+/[A-Za-z0-9.+_-]+$",
                                 "description": "Required with data_base64; taken from the source's response otherwise"},
                "title": {"type": "string", "maxLength": 200},
                "alt_text": {"type": "string", "maxLength": 500},
                "caption": {"type": "string", "maxLength": 1000}
            },
            "required": ["filename"],
            "oneOf": [{"required": ["source_url"]}, {"required": ["data_base64"]}]
        })")
        .output_schema(R"({
            "type": "object",
            "properties": {
                "id": {"type": "integer"}, "source_url": {"type": "string"}, "mime_type": {"type": "string"},
                "media_type": {"type": "string"}, "title": {"type": "string"}, "alt_text": {"type": "string"},
                "link": {"type": "string"}, "width": {"type": ["integer", "null"]}, "height": {"type": ["integer", "null"]}
            },
            "required": ["id", "source_url", "mime_type"]
        })")
        .sample_output(R"({
            "id": 88, "source_url": "https://blog.example.com/wp-content/uploads/2026/11/cover.png",
            "mime_type": "image/png", "media_type": "image", "title": "cover", "alt_text": "",
            "link": "https://blog.example.com/cover/", "width": 1200, "height": 630
        })")
        .run(run_upload_media);
}

} // namespace sr::plugins::wordpress
