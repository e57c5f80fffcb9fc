// The wordpress plugin, loaded from build/plugins/wordpress.so through the host's real
// services, against a fake WordPress on 127.0.0.1 that follows the REST API's shapes,
// errors and pagination headers.
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <set>
#include <string>

#include "fake_wordpress.hpp"
#include "plugin_host.hpp"

using namespace sr::test;
namespace json = boost::json;

namespace {

// The smallest valid PNG: 1x1, one red pixel.
const std::string red_png_base64 =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

std::string http(int status, const std::string& extra_headers, const std::string& body) {
    return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\n" + extra_headers +
           "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

uint16_t closed_port() {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port();
}

std::vector<int64_t> event_ids(const json::value& out) {
    std::vector<int64_t> ids;
    for (const auto& e : out.at("events").as_array()) ids.push_back(e.at("id").as_int64());
    return ids;
}

const json::object* find_by_id(const json::value& manifest, const char* list, const char* id) {
    for (const auto& item : manifest.at(list).as_array()) {
        if (item.at("id") == id) return &item.as_object();
    }
    return nullptr;
}

// Neither the application password, the token, nor the Basic credentials made of them.
void check_no_secret(const std::string& text) {
    CHECK(text.find(fake_wordpress::app_password) == std::string::npos);
    CHECK(text.find("abcd EFGH") == std::string::npos);
    CHECK(text.find(fake_wordpress::token) == std::string::npos);
    CHECK(text.find("YWRtaW46") == std::string::npos); // base64 of "admin:"
}

} // namespace

// ---- manifest ----------------------------------------------------------------------------

TEST_CASE("the wordpress plugin loads as version 1.0.0 with both connection types testable") {
    plugin_host host;
    const auto& m = host.manifest();
    CHECK(m.at("id") == "wordpress");
    CHECK(m.at("version") == "1.0.0");
    for (const char* type : {"app_password", "bearer_token"}) {
        const auto* c = find_by_id(m, "connections", type);
        REQUIRE(c != nullptr);
        CHECK(c->at("testable") == true);
        CHECK(c->at("secret_fields").as_array().size() == 1);
    }
}

TEST_CASE("mutating actions declare side effects, reads do not, and create_post is undone by delete_post") {
    plugin_host host;
    const auto& m = host.manifest();
    for (const char* id : {"create_post", "update_post", "delete_post", "upload_media", "create_tag"}) {
        CHECK(find_by_id(m, "actions", id)->at("side_effects") == true);
    }
    for (const char* id : {"get_post", "list_posts", "list_categories", "list_tags"}) {
        CHECK(find_by_id(m, "actions", id)->at("side_effects") == false);
    }
    const auto& compensation = find_by_id(m, "actions", "create_post")->at("compensation");
    CHECK(compensation.at("action") == "delete_post");
    CHECK(compensation.at("input").at("id") == "{{output.id}}");
    for (const auto& a : m.at("actions").as_array()) CHECK(a.as_object().contains("sample_output"));
}

TEST_CASE("create_post's schema carries the seeds' limits and its term fields are dynamic multi-selects") {
    plugin_host host;
    const auto* create = find_by_id(host.manifest(), "actions", "create_post");
    const auto& props = create->at("settings_schema").at("properties");
    CHECK(props.at("title").at("maxLength") == 200);
    CHECK(props.at("content").at("maxLength") == 10000);
    CHECK(props.at("categories").at("maxItems") == 10);
    CHECK(props.at("tags").at("maxItems") == 20);
    const auto& fields = create->at("dynamic_fields").as_array();
    REQUIRE(fields.size() == 2);
    CHECK(fields[0].at("field") == "categories");
    CHECK(fields[0].at("type") == "multi-select");
    CHECK(fields[0].at("depends_on") == json::array{"connection"});
    CHECK(fields[1].at("field") == "tags");
    CHECK(fields[1].at("depends_on") == json::array{"connection", "tag_search"});
}

TEST_CASE("the triggers are a polling post_published and an HMAC-signed webhook variant") {
    plugin_host host;
    const auto& m = host.manifest();
    CHECK(find_by_id(m, "triggers", "post_published")->at("kind") == "polling");
    const auto* hook = find_by_id(m, "triggers", "post_published_webhook");
    CHECK(hook->at("kind") == "webhook");
    CHECK(hook->at("verification") == "hmac_sha256");
}

// ---- connections -------------------------------------------------------------------------

TEST_CASE("an application password connection tests good against users/me with Basic auth") {
    fake_wordpress wp;
    plugin_host host;
    auto out = success_output(host.test_connection("app_password", wp.app_connection()));
    CHECK(out.at("user").at("id") == 1);
    const auto requests = wp.requests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].target == "/wp-json/wp/v2/users/me");
    CHECK(requests[0].header("authorization")->starts_with("Basic "));
}

TEST_CASE("a bearer token connection tests good and sends the token as Bearer") {
    fake_wordpress wp;
    plugin_host host;
    success_output(host.test_connection("bearer_token", wp.bearer_connection()));
    CHECK(*wp.requests().at(0).header("authorization") == std::string("Bearer ") + fake_wordpress::token);
}

TEST_CASE("a wrong application password tests as a fatal connection_invalid that does not repeat it") {
    fake_wordpress wp;
    plugin_host host;
    auto connection = wp.app_connection();
    connection["application_password"] = "wrong wrong wrong";
    auto o = host.test_connection("app_password", connection);
    CHECK(o.kind == SR_RESULT_FATAL_ERROR);
    CHECK(o.error_code == "connection_invalid");
    CHECK(o.error_message.find("rest_not_logged_in") != std::string::npos);
    CHECK(o.error_message.find("wrong wrong") == std::string::npos);
    CHECK(host.log_text().find("wrong wrong") == std::string::npos);
}

TEST_CASE("a connection without credentials fails as connection_invalid before any request") {
    fake_wordpress wp;
    plugin_host host;
    auto o = host.action("get_post", {{"id", 1}}, {{"site_url", wp.site_url()}});
    CHECK(o.error_code == "connection_invalid");
    CHECK(wp.requests().empty());
}

// ---- posts -------------------------------------------------------------------------------

TEST_CASE("create_post creates a post with categories, tags and a featured image") {
    fake_wordpress wp;
    const auto news = wp.add_category("News");
    const auto release = wp.add_tag("release");
    plugin_host host;
    auto media = success_output(host.action(
        "upload_media", {{"data_base64", red_png_base64}, {"filename", "red.png"}, {"content_type", "image/png"}},
        wp.app_connection()));
    auto out = success_output(host.action("create_post",
                                          {{"title", "Hello & welcome"},
                                           {"content", "First words"},
                                           {"status", "publish"},
                                           {"categories", {news}},
                                           {"tags", {std::to_string(release)}},
                                           {"featured_media", media.at("id")}},
                                          wp.app_connection()));
    CHECK(out.at("title") == "Hello & welcome");
    CHECK(out.at("content") == "First words");
    CHECK(out.at("status") == "publish");
    CHECK(out.at("categories") == json::array{news});
    CHECK(out.at("tags") == json::array{release});
    CHECK(out.at("featured_media") == media.at("id"));
    const auto stored = wp.post(out.at("id").as_int64());
    REQUIRE(stored);
    CHECK(stored->at("featured_media") == media.at("id"));
}

TEST_CASE("create_post sends a JSON body with draft as the default status") {
    fake_wordpress wp;
    plugin_host host;
    success_output(host.action("create_post", {{"title", "T"}, {"content", "C"}}, wp.app_connection()));
    const auto r = wp.requests().at(0);
    CHECK(r.method == "POST");
    CHECK(r.target == "/wp-json/wp/v2/posts");
    CHECK(*r.header("content-type") == "application/json");
    CHECK(json::parse(r.body) == json::parse(R"({"title": "T", "content": "C", "status": "draft"})"));
}

TEST_CASE("create_post refuses a title over 200 characters without calling WordPress") {
    fake_wordpress wp;
    plugin_host host;
    auto o = host.action("create_post", {{"title", std::string(201, 'x')}, {"content", "C"}}, wp.app_connection());
    CHECK(o.kind == SR_RESULT_FATAL_ERROR);
    CHECK(o.error_code == "action_validation_failed");
    CHECK(o.error_message.find("settings.title") != std::string::npos);
    CHECK(wp.requests().empty());
}

TEST_CASE("create_post counts the title limit in characters, not bytes") {
    fake_wordpress wp;
    plugin_host host;
    std::string title;
    for (int i = 0; i < 200; ++i) title += "\xC3\xA9"; // 200 x "é", 400 bytes
    success_output(host.action("create_post", {{"title", title}, {"content", "C"}}, wp.app_connection()));
}

TEST_CASE("create_post refuses more than 10 categories and malformed ids") {
    fake_wordpress wp;
    plugin_host host;
    json::array eleven;
    for (int i = 1; i <= 11; ++i) eleven.push_back(i);
    CHECK(host.action("create_post", {{"title", "T"}, {"content", "C"}, {"categories", eleven}}, wp.app_connection())
              .error_code == "action_validation_failed");
    CHECK(host.action("create_post", {{"title", "T"}, {"content", "C"}, {"tags", {"one"}}}, wp.app_connection())
              .error_code == "action_validation_failed");
    CHECK(host.action("create_post", {{"title", "T"}}, wp.app_connection()).error_code == "action_validation_failed");
    CHECK(host.action("create_post", {{"title", "T"}, {"content", "C"}, {"status", "published"}}, wp.app_connection())
              .error_code == "action_validation_failed");
    CHECK(wp.requests().empty());
}

TEST_CASE("WordPress's 400 becomes a fatal action_validation_failed with WordPress's message") {
    fake_wordpress wp;
    // WordPress 6.1's answer to an invalid status, as recorded from the real site.
    wp.answer_next_with(http(400, "", R"({"code":"rest_invalid_param","message":"Invalid parameter(s): status",
        "data":{"status":400,"params":{"status":"status is not one of publish, future, draft, pending, and private."}}})"));
    plugin_host host;
    auto o = host.action("create_post", {{"title", "T"}, {"content", "C"}}, wp.app_connection());
    CHECK(o.kind == SR_RESULT_FATAL_ERROR);
    CHECK(o.error_code == "action_validation_failed");
    CHECK(o.error_message.find("Invalid parameter(s): status") != std::string::npos);
    const auto detail = json::parse(o.output_json);
    CHECK(detail.at("wp_code") == "rest_invalid_param");
    CHECK(detail.at("http_status") == 400);
}

TEST_CASE("create_post passes unknown term ids on, and WordPress drops them as the real one does") {
    fake_wordpress wp;
    plugin_host host;
    auto out = success_output(host.action("create_post", {{"title", "T"}, {"content", "C"}, {"tags", {999}}}, wp.app_connection()));
    CHECK(out.at("tags").as_array().empty());
}

TEST_CASE("update_post changes only the fields given") {
    fake_wordpress wp;
    const auto id = wp.add_post("Old title", "draft", "2026-11-22T09:00:00");
    plugin_host host;
    auto out = success_output(host.action("update_post", {{"id", id}, {"title", "New title"}}, wp.app_connection()));
    CHECK(out.at("title") == "New title");
    CHECK(out.at("content") == "Body of Old title");
    CHECK(json::parse(wp.requests().at(0).body) == json::parse(R"({"title": "New title"})"));
}

TEST_CASE("update_post without anything to change is refused") {
    fake_wordpress wp;
    plugin_host host;
    CHECK(host.action("update_post", {{"id", 5}}, wp.app_connection()).error_code == "action_validation_failed");
    CHECK(host.action("update_post", {{"title", "x"}}, wp.app_connection()).error_code == "action_validation_failed");
}

TEST_CASE("get_post returns the raw title of a draft") {
    fake_wordpress wp;
    const auto id = wp.add_post("Draft & notes", "draft", "2026-11-22T09:00:00");
    plugin_host host;
    auto out = success_output(host.action("get_post", {{"id", std::to_string(id)}}, wp.app_connection()));
    CHECK(out.at("id") == id);
    CHECK(out.at("title") == "Draft & notes");
    CHECK(out.at("status") == "draft");
    CHECK(wp.requests().at(0).target == "/wp-json/wp/v2/posts/" + std::to_string(id) + "?context=edit");
}

TEST_CASE("a missing post is a fatal not_found") {
    fake_wordpress wp;
    plugin_host host;
    auto o = host.action("get_post", {{"id", 4242}}, wp.app_connection());
    CHECK(o.kind == SR_RESULT_FATAL_ERROR);
    CHECK(o.error_code == "not_found");
    CHECK(o.error_message.find("Invalid post ID.") != std::string::npos);
}

TEST_CASE("list_posts returns one page and the totals from X-WP-Total and X-WP-TotalPages") {
    fake_wordpress wp;
    for (int i = 0; i < 5; ++i) wp.add_post("Post " + std::to_string(i), "publish", "2026-11-22T09:00:0" + std::to_string(i));
    plugin_host host;
    auto out = success_output(host.action("list_posts", {{"page", 2}, {"per_page", 2}}, wp.app_connection()));
    CHECK(out.at("total") == 5);
    CHECK(out.at("total_pages") == 3);
    CHECK(out.at("page") == 2);
    REQUIRE(out.at("items").as_array().size() == 2);
    CHECK(out.at("items").at(0).at("title") == "Post 2"); // newest first: 4 3 | 2 1 | 0
}

TEST_CASE("list_posts filters by search, status and categories") {
    fake_wordpress wp;
    const auto news = wp.add_category("News");
    wp.add_post("Apple pie", "publish", "2026-11-22T09:00:00");
    wp.add_post("Apple news", "publish", "2026-11-22T09:00:01", {news});
    wp.add_post("Apple draft", "draft", "2026-11-22T09:00:02");
    plugin_host host;
    auto by_search = success_output(host.action("list_posts", {{"search", "apple"}}, wp.app_connection()));
    CHECK(by_search.at("total") == 2);
    auto drafts = success_output(host.action("list_posts", {{"status", "draft"}}, wp.app_connection()));
    CHECK(drafts.at("items").at(0).at("title") == "Apple draft");
    auto in_news = success_output(host.action("list_posts", {{"categories", {news}}}, wp.app_connection()));
    REQUIRE(in_news.at("items").as_array().size() == 1);
    CHECK(in_news.at("items").at(0).at("title") == "Apple news");
}

TEST_CASE("list_posts past the last page is WordPress's 400, action_validation_failed") {
    fake_wordpress wp;
    wp.add_post("Only", "publish", "2026-11-22T09:00:00");
    plugin_host host;
    auto o = host.action("list_posts", {{"page", 3}}, wp.app_connection());
    CHECK(o.error_code == "action_validation_failed");
    CHECK(o.error_message.find("rest_post_invalid_page_number") != std::string::npos);
}

TEST_CASE("delete_post trashes a post, and with force deletes it") {
    fake_wordpress wp;
    const auto a = wp.add_post("A", "publish", "2026-11-22T09:00:00");
    const auto b = wp.add_post("B", "publish", "2026-11-22T09:00:01");
    plugin_host host;
    auto trashed = success_output(host.action("delete_post", {{"id", a}}, wp.app_connection()));
    CHECK(trashed.at("deleted") == false);
    CHECK(trashed.at("status") == "trash");
    CHECK(wp.post(a)->at("status") == "trash");
    auto deleted = success_output(host.action("delete_post", {{"id", b}, {"force", true}}, wp.app_connection()));
    CHECK(deleted.at("deleted") == true);
    CHECK(deleted.at("post").at("title") == "B");
    CHECK_FALSE(wp.post(b));
}

TEST_CASE("delete_post accepts the compensation's templated id as a string") {
    fake_wordpress wp;
    const auto id = wp.add_post("A", "publish", "2026-11-22T09:00:00");
    plugin_host host;
    success_output(host.action("delete_post", {{"id", std::to_string(id)}}, wp.app_connection()));
    CHECK(host.action("delete_post", {{"id", "abc"}}, wp.app_connection()).error_code == "action_validation_failed");
}

// ---- media -------------------------------------------------------------------------------

TEST_CASE("upload_media sends base64 bytes with their content type and a Content-Disposition") {
    fake_wordpress wp;
    plugin_host host;
    auto out = success_output(host.action("upload_media",
                                          {{"data_base64", red_png_base64},
                                           {"filename", "red.png"},
                                           {"content_type", "image/png"},
                                           {"alt_text", "A red dot"}},
                                          wp.app_connection()));
    CHECK(out.at("mime_type") == "image/png");
    CHECK(out.at("width") == 1);
    CHECK(out.at("height") == 1);
    CHECK(out.at("alt_text") == "A red dot");
    CHECK(out.at("source_url").as_string().ends_with("/red.png"));
    const auto r = wp.requests().at(0);
    CHECK(*r.header("content-disposition") == "attachment; filename=\"red.png\"");
    CHECK(*r.header("content-type") == "image/png");
    CHECK(r.body.size() == 69);
}

TEST_CASE("upload_media fetches a URL without the site's credentials and keeps its content type") {
    fake_wordpress source;
    source.add_file("/images/dot.png", "image/png; charset=binary", std::string("\x89PNG\r\n\x1a\n", 8) + std::string(16, '\0'));
    fake_wordpress wp;
    plugin_host host;
    auto out = success_output(host.action(
        "upload_media", {{"source_url", source.site_url() + "/images/dot.png"}, {"filename", "dot.png"}},
        wp.app_connection()));
    CHECK(out.at("mime_type") == "image/png");
    const auto fetched = source.requests().at(0);
    CHECK(fetched.header("authorization") == nullptr);
    CHECK(wp.requests().at(0).body.size() == 24);
}

TEST_CASE("upload_media refuses two sources, none, bad base64 and unsafe file names") {
    fake_wordpress wp;
    plugin_host host;
    const auto c = wp.app_connection();
    CHECK(host.action("upload_media", {{"filename", "a.png"}, {"content_type", "image/png"}}, c).error_code ==
          "action_validation_failed");
    CHECK(host.action("upload_media",
                      {{"filename", "a.png"}, {"content_type", "image/png"}, {"data_base64", "AA=="}, {"source_url", "http://x/"}},
                      c)
              .error_code == "action_validation_failed");
    CHECK(host.action("upload_media", {{"filename", "a.png"}, {"content_type", "image/png"}, {"data_base64", "**"}}, c)
              .error_code == "action_validation_failed");
    CHECK(host.action("upload_media", {{"filename", "a\".png"}, {"content_type", "image/png"}, {"data_base64", "AA=="}}, c)
              .error_code == "action_validation_failed");
    CHECK(host.action("upload_media", {{"filename", "a.png"}, {"data_base64", "AA=="}}, c).error_code ==
          "action_validation_failed");
    CHECK(wp.requests().empty());
}

TEST_CASE("a media source that answers 404 is not_found and its URL stays out of the message") {
    fake_wordpress source;
    fake_wordpress wp;
    plugin_host host;
    auto o = host.action("upload_media", {{"source_url", source.site_url() + "/missing.png?token=s3cr3t"}, {"filename", "m.png"}},
                         wp.app_connection());
    CHECK(o.error_code == "not_found");
    CHECK(o.error_message.find("s3cr3t") == std::string::npos);
    CHECK(wp.requests().empty());
}

// ---- categories and tags -----------------------------------------------------------------

TEST_CASE("list_categories and list_tags return terms with totals, tags narrowed by search") {
    fake_wordpress wp;
    wp.add_category("News");
    wp.add_tag("release");
    wp.add_tag("release-notes");
    wp.add_tag("travel");
    plugin_host host;
    auto categories = success_output(host.action("list_categories", {}, wp.app_connection()));
    CHECK(categories.at("total") == 2); // Uncategorized and News
    CHECK(categories.at("items").at(0).at("taxonomy") == "category");
    auto tags = success_output(host.action("list_tags", {{"search", "release"}}, wp.app_connection()));
    CHECK(tags.at("total") == 2);
    CHECK(tags.at("items").at(0).at("name") == "release");
}

TEST_CASE("create_tag creates a tag, and an existing name fails with the existing id") {
    fake_wordpress wp;
    plugin_host host;
    auto tag = success_output(host.action("create_tag", {{"name", "launch"}}, wp.app_connection()));
    CHECK(tag.at("name") == "launch");
    CHECK(tag.at("taxonomy") == "post_tag");
    auto again = host.action("create_tag", {{"name", "launch"}}, wp.app_connection());
    CHECK(again.kind == SR_RESULT_FATAL_ERROR);
    CHECK(again.error_code == "action_validation_failed");
    CHECK(again.error_message.find("already exists") != std::string::npos);
    CHECK(json::parse(again.output_json).at("wp_data").at("term_id") == tag.at("id"));
}

// ---- dynamic fields ----------------------------------------------------------------------

TEST_CASE("the categories field's options are the site's categories as value and label") {
    fake_wordpress wp;
    const auto news = wp.add_category("News");
    plugin_host host;
    auto out = success_output(host.options("create_post", "categories", {}, wp.app_connection()));
    const auto& options = out.at("options").as_array();
    REQUIRE(options.size() == 2);
    CHECK(options[0] == json::parse(R"({"value": 2, "label": "News"})"));
    CHECK(options[0].at("value") == news);
    CHECK(options[1].at("label") == "Uncategorized");
}

TEST_CASE("the categories field follows X-WP-TotalPages when a site has more than 100") {
    fake_wordpress wp;
    for (int i = 0; i < 120; ++i) wp.add_category("Cat " + std::to_string(1000 + i));
    plugin_host host;
    auto out = success_output(host.options("create_post", "categories", {}, wp.app_connection()));
    CHECK(out.at("options").as_array().size() == 121);
    CHECK(wp.requests().size() == 2);
}

TEST_CASE("the tags field's options depend on the tag_search setting") {
    fake_wordpress wp;
    wp.add_tag("release");
    wp.add_tag("travel");
    wp.add_tag("trains");
    plugin_host host;
    auto all = success_output(host.options("create_post", "tags", {}, wp.app_connection()));
    CHECK(all.at("options").as_array().size() == 3);
    auto narrowed = success_output(host.options("create_post", "tags", {{"tag_search", "tra"}}, wp.app_connection()));
    std::set<std::string> labels;
    for (const auto& o : narrowed.at("options").as_array()) labels.insert(std::string(o.at("label").as_string()));
    CHECK(labels == std::set<std::string>{"travel", "trains"});
}

TEST_CASE("field options need working credentials and answer connection_invalid otherwise") {
    fake_wordpress wp;
    plugin_host host;
    auto connection = wp.app_connection();
    connection["application_password"] = "nope";
    // Categories are public in WordPress: a wrong password reads them anonymously. Creating needs a user.
    CHECK(host.options("update_post", "categories", {}, connection).kind == SR_RESULT_SUCCESS);
    CHECK(host.action("create_post", {{"title", "T"}, {"content", "C"}}, connection).error_code == "connection_invalid");
}

TEST_CASE("the polling trigger's categories field answers too") {
    fake_wordpress wp;
    plugin_host host;
    auto out = success_output(host.options("post_published", "categories", {}, wp.app_connection()));
    CHECK(out.at("options").as_array().size() == 1);
}

// ---- errors ------------------------------------------------------------------------------

TEST_CASE("429 is a retryable connection_rate_limited honouring Retry-After in seconds") {
    fake_wordpress wp;
    wp.answer_next_with(http(429, "Retry-After: 7\r\n", R"({"code":"too_many","message":"Slow down","data":{"status":429}})"));
    plugin_host host;
    auto o = host.action("list_posts", {}, wp.app_connection());
    CHECK(o.kind == SR_RESULT_RETRYABLE_ERROR);
    CHECK(o.error_code == "connection_rate_limited");
    CHECK(o.retry_after_ms == 7000);
    CHECK(o.error_message.find("Slow down") != std::string::npos);
}

TEST_CASE("503 is a retryable action_execution_failed honouring Retry-After as an HTTP date") {
    fake_wordpress wp;
    const auto in_30s = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + std::chrono::seconds(30));
    std::tm tm{};
    gmtime_r(&in_30s, &tm);
    char date[64];
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    wp.answer_next_with(http(503, std::string("Retry-After: ") + date + "\r\n", "{}"));
    plugin_host host;
    auto o = host.action("get_post", {{"id", 1}}, wp.app_connection());
    CHECK(o.kind == SR_RESULT_RETRYABLE_ERROR);
    CHECK(o.error_code == "action_execution_failed");
    CHECK(o.retry_after_ms > 25000);
    CHECK(o.retry_after_ms <= 30000);
}

TEST_CASE("500 without Retry-After is retryable with no requested wait") {
    fake_wordpress wp;
    wp.answer_next_with(http(500, "", "<html>fatal error</html>"));
    plugin_host host;
    auto o = host.action("create_post", {{"title", "T"}, {"content", "C"}}, wp.app_connection());
    CHECK(o.kind == SR_RESULT_RETRYABLE_ERROR);
    CHECK(o.error_code == "action_execution_failed");
    CHECK(o.retry_after_ms == -1);
}

TEST_CASE("403 is a fatal connection_invalid") {
    fake_wordpress wp;
    wp.answer_next_with(http(403, "", R"({"code":"rest_forbidden","message":"Sorry, you are not allowed to do that.","data":{"status":403}})"));
    plugin_host host;
    auto o = host.action("delete_post", {{"id", 1}}, wp.app_connection());
    CHECK(o.kind == SR_RESULT_FATAL_ERROR);
    CHECK(o.error_code == "connection_invalid");
    CHECK(o.error_message.find("not allowed") != std::string::npos);
}

TEST_CASE("a site that never answers is a retryable action_timeout within the call's deadline") {
    fake_wordpress wp;
    wp.stall_next();
    plugin_host host;
    sr::core::call_request r;
    r.target = "get_post";
    r.settings_json = R"({"id": 1})";
    r.connection_json = json::serialize(wp.app_connection());
    r.deadline_unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count() +
                         500;
    auto o = host.call(r);
    CHECK(o.kind == SR_RESULT_RETRYABLE_ERROR);
    CHECK(o.error_code == "action_timeout");
}

TEST_CASE("a refused connection is a retryable connection_failed") {
    plugin_host host;
    auto o = host.action("list_posts", {},
                         {{"site_url", "http://127.0.0.1:" + std::to_string(closed_port())},
                          {"username", "admin"},
                          {"application_password", "abcd EFGH 1234 ijkl MNOP 5678"}});
    CHECK(o.kind == SR_RESULT_RETRYABLE_ERROR);
    CHECK(o.error_code == "connection_failed");
    check_no_secret(o.error_message);
}

TEST_CASE("a site_url that is not WordPress answers HTML and fails without retry") {
    fake_wordpress wp;
    wp.answer_next_with("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\nConnection: close\r\n\r\n<html></html>");
    plugin_host host;
    auto o = host.action("list_tags", {}, wp.app_connection());
    CHECK(o.kind == SR_RESULT_FATAL_ERROR);
    CHECK(o.error_code == "action_execution_failed");
    CHECK(o.error_message.find("site_url") != std::string::npos);
}

TEST_CASE("no error message, error output or log line carries the credentials") {
    fake_wordpress wp;
    plugin_host host;
    wp.answer_next_with(http(401, "", R"({"code":"rest_cannot_create","message":"Sorry.","data":{"status":401}})"));
    auto unauthorized = host.action("create_post", {{"title", "T"}, {"content", "C"}}, wp.app_connection());
    wp.answer_next_with(http(500, "", "oops"));
    auto failed = host.action("list_posts", {}, wp.bearer_connection());
    auto refused = host.test_connection("bearer_token", {{"site_url", "http://127.0.0.1:" + std::to_string(closed_port())},
                                                         {"token", fake_wordpress::token}});
    for (const auto* o : {&unauthorized, &failed, &refused}) {
        CHECK(o->kind != SR_RESULT_SUCCESS);
        check_no_secret(o->error_message);
        check_no_secret(o->output_json);
    }
    check_no_secret(host.log_text());
}

// ---- polling trigger ---------------------------------------------------------------------

TEST_CASE("the first poll emits nothing and remembers the newest published post") {
    fake_wordpress wp;
    wp.add_post("Old", "publish", "2026-11-22T09:00:00");
    const auto newest = wp.add_post("Newest", "publish", "2026-11-22T09:30:00");
    wp.add_post("Draft", "draft", "2026-11-22T09:40:00");
    plugin_host host;
    auto out = success_output(host.poll("post_published", {}, wp.app_connection(), nullptr));
    CHECK(out.at("events").as_array().empty());
    CHECK(out.at("cursor").at("after") == "2026-11-22T09:30:00");
    CHECK(out.at("cursor").at("seen_ids") == json::array{newest});
}

TEST_CASE("polls emit each new post exactly once, oldest first") {
    fake_wordpress wp;
    wp.add_post("Old", "publish", "2026-11-22T09:00:00");
    plugin_host host;
    auto cursor = success_output(host.poll("post_published", {}, wp.app_connection(), nullptr)).at("cursor");
    const auto b = wp.add_post("B", "publish", "2026-11-22T09:00:05");
    const auto a = wp.add_post("A", "publish", "2026-11-22T09:00:02");
    wp.add_post("Draft", "draft", "2026-11-22T09:00:03");
    auto first = success_output(host.poll("post_published", {}, wp.app_connection(), cursor));
    CHECK(event_ids(first) == std::vector<int64_t>{a, b});
    CHECK(first.at("events").at(0).at("title") == "A");
    auto second = success_output(host.poll("post_published", {}, wp.app_connection(), first.at("cursor")));
    CHECK(second.at("events").as_array().empty());
    CHECK(second.at("cursor") == first.at("cursor"));
}

TEST_CASE("posts published in the same second are neither repeated nor lost across polls") {
    fake_wordpress wp;
    plugin_host host;
    auto cursor = success_output(host.poll("post_published", {}, wp.app_connection(), nullptr)).at("cursor");
    const auto p1 = wp.add_post("P1", "publish", "2026-11-22T10:00:00");
    const auto p2 = wp.add_post("P2", "publish", "2026-11-22T10:00:00");
    const auto p3 = wp.add_post("P3", "publish", "2026-11-22T10:00:00");
    // Two per poll: the second falls in the middle of the shared second.
    auto first = success_output(host.poll("post_published", {{"batch_size", 2}}, wp.app_connection(), cursor));
    auto second = success_output(host.poll("post_published", {{"batch_size", 2}}, wp.app_connection(), first.at("cursor")));
    // One more arrives in that same second after two polls saw it.
    const auto p4 = wp.add_post("P4", "publish", "2026-11-22T10:00:00");
    auto third = success_output(host.poll("post_published", {{"batch_size", 2}}, wp.app_connection(), second.at("cursor")));
    auto fourth = success_output(host.poll("post_published", {{"batch_size", 2}}, wp.app_connection(), third.at("cursor")));
    std::multiset<int64_t> seen;
    for (const auto* out : {&first, &second, &third, &fourth}) {
        for (auto id : event_ids(*out)) seen.insert(id);
    }
    CHECK(seen == std::multiset<int64_t>{p1, p2, p3, p4});
    CHECK(event_ids(fourth).empty());
}

TEST_CASE("polling works in site time when the site is not on UTC") {
    fake_wordpress wp;
    wp.set_utc_offset_hours(-5);
    wp.add_post("Before", "publish", "2026-11-22T10:00:00");
    plugin_host host;
    auto cursor = success_output(host.poll("post_published", {}, wp.app_connection(), nullptr)).at("cursor");
    CHECK(cursor.at("after_local") == "2026-11-22T05:00:00");
    const auto next = wp.add_post("Next", "publish", "2026-11-22T10:00:01");
    auto out = success_output(host.poll("post_published", {}, wp.app_connection(), cursor));
    CHECK(event_ids(out) == std::vector<int64_t>{next});
}

TEST_CASE("a cursor without its site time still finds posts on a site behind UTC") {
    fake_wordpress wp;
    wp.set_utc_offset_hours(-10);
    const auto next = wp.add_post("Next", "publish", "2026-11-22T10:00:01");
    plugin_host host;
    json::value cursor = json::object{{"after", "2026-11-22T10:00:00"}, {"seen_ids", json::array()}};
    auto out = success_output(host.poll("post_published", {}, wp.app_connection(), cursor));
    CHECK(event_ids(out) == std::vector<int64_t>{next});
}

TEST_CASE("a malformed cursor fails the poll as action_validation_failed") {
    fake_wordpress wp;
    plugin_host host;
    auto o = host.poll("post_published", {}, wp.app_connection(), json::object{{"after", 12}});
    CHECK(o.kind == SR_RESULT_FATAL_ERROR);
    CHECK(o.error_code == "action_validation_failed");
    CHECK(wp.requests().empty());
}

TEST_CASE("a poll against a rate-limited site is retryable and keeps no cursor") {
    fake_wordpress wp;
    wp.answer_next_with(http(429, "Retry-After: 3\r\n", "{}"));
    plugin_host host;
    auto o = host.poll("post_published", {}, wp.app_connection(), json::object{{"after", "2026-11-22T10:00:00"}});
    CHECK(o.kind == SR_RESULT_RETRYABLE_ERROR);
    CHECK(o.retry_after_ms == 3000);
}

// ---- webhook trigger ---------------------------------------------------------------------

TEST_CASE("a webhook delivery of a published REST post becomes one event shaped like the poll's") {
    fake_wordpress wp;
    const auto id = wp.add_post("Hooked", "publish", "2026-11-22T10:00:00");
    plugin_host host;
    auto out = success_output(host.webhook("post_published_webhook", json::serialize(*wp.post(id))));
    REQUIRE(out.at("events").as_array().size() == 1);
    const auto& event = out.at("events").at(0).as_object();
    CHECK(event.at("id") == id);
    CHECK(event.at("title") == "Hooked");
    auto poll_shape = success_output(host.poll("post_published", {}, wp.app_connection(),
                                               json::object{{"after", "2026-11-22T09:00:00"}, {"after_local", "2026-11-22T09:00:00"}}));
    std::set<std::string> hook_keys, poll_keys;
    for (const auto& kv : event) hook_keys.insert(std::string(kv.key()));
    for (const auto& kv : poll_shape.at("events").at(0).as_object()) poll_keys.insert(std::string(kv.key()));
    CHECK(hook_keys == poll_keys);
}

TEST_CASE("a webhook delivery of a WP_Post under \"post\" is mapped to the same shape") {
    plugin_host host;
    auto out = success_output(host.webhook("post_published_webhook", R"({
        "post_id": 77, "post_permalink": "https://blog.example.com/hello/",
        "post": {"ID": 77, "post_title": "Hello", "post_content": "Body", "post_status": "publish",
                 "post_name": "hello", "post_date": "2026-11-22 11:00:00", "post_date_gmt": "2026-11-22 10:00:00",
                 "post_author": "3", "post_type": "post"}})"));
    REQUIRE(out.at("events").as_array().size() == 1);
    const auto& e = out.at("events").at(0);
    CHECK(e.at("id") == 77);
    CHECK(e.at("title") == "Hello");
    CHECK(e.at("link") == "https://blog.example.com/hello/");
    CHECK(e.at("date_gmt") == "2026-11-22T10:00:00");
    CHECK(e.at("author") == 3);
}

TEST_CASE("a webhook delivery of a draft starts nothing") {
    plugin_host host;
    auto out = success_output(host.webhook("post_published_webhook", R"({"id": 5, "status": "draft", "title": {"rendered": "x"}})"));
    CHECK(out.at("events").as_array().empty());
}

TEST_CASE("a webhook delivery that is not a post is refused") {
    plugin_host host;
    for (const char* body : {"not json", "[1,2]", R"({"hello": "world"})", R"({"id": "abc", "status": "publish"})"}) {
        auto o = host.webhook("post_published_webhook", body);
        CHECK(o.kind == SR_RESULT_FATAL_ERROR);
        CHECK(o.error_code == "action_validation_failed");
    }
}
