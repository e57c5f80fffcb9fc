// The wordpress plugin, loaded from its .so through the host, against a REAL WordPress 6.1
// brought up by tools/testing/wordpress.sh (the `wordpress` CTest fixture). Without that
// WordPress every test here fails: the suite never passes silently.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <map>
#include <random>
#include <string>

#include "plugin_host.hpp"

using namespace sr::test;
namespace json = boost::json;

namespace {

// WP_URL, WP_USER, WP_APP_PASSWORD from the fixture's wordpress.env.
std::map<std::string, std::string> read_env() {
    std::ifstream in(SR_WORDPRESS_ENV);
    INFO("no real WordPress: " SR_WORDPRESS_ENV " is missing; run the wordpress_start fixture "
         "(ctest -R 'test_wordpress_live' runs it) or tools/testing/wordpress.sh start /dev/shm/sr-wp");
    REQUIRE(in.good());
    std::map<std::string, std::string> env;
    for (std::string line; std::getline(in, line);) {
        const auto eq = line.find('=');
        if (eq != std::string::npos) env[line.substr(0, eq)] = line.substr(eq + 1);
    }
    REQUIRE(env.count("WP_URL") == 1);
    REQUIRE(env.count("WP_APP_PASSWORD") == 1);
    return env;
}

json::object connection() {
    auto env = read_env();
    return {{"site_url", env["WP_URL"]}, {"username", env["WP_USER"]}, {"application_password", env["WP_APP_PASSWORD"]}};
}

// A word no other post or tag contains, so searches find only what this test made.
std::string unique_word() {
    std::random_device rd;
    return "sr" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000000) +
           std::to_string(rd() % 10000);
}

uint32_t crc32(const std::string& bytes) {
    uint32_t crc = 0xFFFFFFFFu;
    for (unsigned char c : bytes) {
        crc ^= c;
        for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

std::string be32(uint32_t v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

std::string chunk(const std::string& type, const std::string& data) {
    return be32(static_cast<uint32_t>(data.size())) + type + data + be32(crc32(type + data));
}

// A real PNG of w x h red pixels: IHDR, one IDAT holding a zlib stream of stored (uncompressed)
// deflate blocks, IEND. Small enough for one block.
std::string red_png(uint32_t w, uint32_t h) {
    std::string raw;
    for (uint32_t y = 0; y < h; ++y) {
        raw += '\0'; // filter: none
        for (uint32_t x = 0; x < w; ++x) raw += std::string("\xFF\x00\x00", 3);
    }
    REQUIRE(raw.size() < 65535);
    uint32_t a = 1, b = 0;
    for (unsigned char c : raw) {
        a = (a + c) % 65521;
        b = (b + a) % 65521;
    }
    const auto len = static_cast<uint16_t>(raw.size());
    std::string zlib = std::string("\x78\x01", 2) + '\x01' + static_cast<char>(len & 0xFF) + static_cast<char>(len >> 8) +
                       static_cast<char>(~len & 0xFF) + static_cast<char>((~len >> 8) & 0xFF) + raw + be32((b << 16) | a);
    const std::string ihdr = be32(w) + be32(h) + std::string("\x08\x02\x00\x00\x00", 5); // 8-bit RGB
    return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) + chunk("IDAT", zlib) + chunk("IEND", "");
}

std::string base64(const std::string& in) {
    static constexpr char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < in.size(); i += 3) {
        uint32_t n = static_cast<unsigned char>(in[i]) << 16;
        if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
        if (i + 2 < in.size()) n |= static_cast<unsigned char>(in[i + 2]);
        out += t[(n >> 18) & 63];
        out += t[(n >> 12) & 63];
        out += i + 1 < in.size() ? t[(n >> 6) & 63] : '=';
        out += i + 2 < in.size() ? t[n & 63] : '=';
    }
    return out;
}

std::vector<int64_t> event_ids(const json::value& out) {
    std::vector<int64_t> ids;
    for (const auto& e : out.at("events").as_array()) ids.push_back(e.at("id").as_int64());
    return ids;
}

} // namespace

TEST_CASE("live: the application password tests good and a wrong one is connection_invalid") {
    plugin_host host;
    auto good = connection();
    auto out = success_output(host.test_connection("app_password", good));
    CHECK(out.at("user").at("name").is_string());
    auto bad = good;
    bad["application_password"] = "aaaa bbbb cccc dddd eeee ffff";
    auto o = host.test_connection("app_password", bad);
    CHECK(o.kind == SR_RESULT_FATAL_ERROR);
    CHECK(o.error_code == "connection_invalid");
    CHECK(o.error_message.find("aaaa bbbb") == std::string::npos);
    auto token = host.test_connection("bearer_token", {{"site_url", good.at("site_url")}, {"token", "not-a-token"}});
    CHECK(token.error_code == "connection_invalid");
    CHECK(host.log_text().find(std::string(good.at("application_password").as_string())) == std::string::npos);
}

TEST_CASE("live: bad credentials cannot create a post") {
    plugin_host host;
    auto bad = connection();
    bad["application_password"] = "aaaa bbbb cccc dddd eeee ffff";
    auto o = host.action("create_post", {{"title", "never"}, {"content", "never"}}, bad);
    CHECK(o.kind == SR_RESULT_FATAL_ERROR);
    CHECK(o.error_code == "connection_invalid");
}

TEST_CASE("live: a post is created with categories, tags and an uploaded featured image, then listed and filtered") {
    plugin_host host;
    const auto c = connection();
    const auto word = unique_word();

    auto tag = success_output(host.action("create_tag", {{"name", word + "-tag"}}, c));
    auto options = success_output(host.options("create_post", "tags", {{"tag_search", word}}, c));
    REQUIRE(options.at("options").as_array().size() == 1);
    CHECK(options.at("options").at(0).at("value") == tag.at("id"));
    auto categories = success_output(host.options("create_post", "categories", {}, c));
    REQUIRE_FALSE(categories.at("options").as_array().empty());
    const auto category = categories.at("options").at(0).at("value");

    auto media = success_output(host.action(
        "upload_media",
        {{"data_base64", base64(red_png(4, 3))}, {"filename", word + ".png"}, {"content_type", "image/png"}, {"alt_text", "red"}},
        c));
    CHECK(media.at("mime_type") == "image/png");
    CHECK(media.at("width") == 4);
    CHECK(media.at("height") == 3);

    auto post = success_output(host.action("create_post",
                                           {{"title", word + " title"},
                                            {"content", "<p>Made by the live test</p>"},
                                            {"status", "publish"},
                                            {"categories", {category}},
                                            {"tags", {tag.at("id")}},
                                            {"featured_media", media.at("id")}},
                                           c));
    CHECK(post.at("status") == "publish");
    CHECK(post.at("featured_media") == media.at("id"));
    CHECK(post.at("tags") == json::array{tag.at("id")});

    auto fetched = success_output(host.action("get_post", {{"id", post.at("id")}}, c));
    CHECK(fetched.at("title") == json::value(word + " title"));
    CHECK(fetched.at("categories") == json::array{category});

    auto by_search = success_output(host.action("list_posts", {{"search", word}}, c));
    CHECK(by_search.at("total") == 1);
    CHECK(by_search.at("items").at(0).at("id") == post.at("id"));
    auto by_tag = success_output(host.action("list_posts", {{"tags", {tag.at("id")}}, {"per_page", 1}}, c));
    CHECK(by_tag.at("total") == 1);
    CHECK(by_tag.at("total_pages") == 1);

    auto updated = success_output(host.action("update_post", {{"id", post.at("id")}, {"title", word + " renamed"}}, c));
    CHECK(updated.at("title") == json::value(word + " renamed"));
    auto deleted = success_output(host.action("delete_post", {{"id", post.at("id")}, {"force", true}}, c));
    CHECK(deleted.at("deleted") == true);
    CHECK(host.action("get_post", {{"id", post.at("id")}}, c).error_code == "not_found");
}

TEST_CASE("live: media is uploaded from a URL the host fetches") {
    plugin_host host;
    const auto c = connection();
    const auto word = unique_word();
    auto first = success_output(host.action(
        "upload_media", {{"data_base64", base64(red_png(2, 2))}, {"filename", word + ".png"}, {"content_type", "image/png"}}, c));
    auto second = success_output(host.action(
        "upload_media", {{"source_url", first.at("source_url")}, {"filename", word + "-copy.png"}}, c));
    CHECK(second.at("mime_type") == "image/png");
    CHECK(second.at("width") == 2);
}

TEST_CASE("live: WordPress's own validation errors come back as action_validation_failed with its message") {
    plugin_host host;
    const auto c = connection();
    auto tag = unique_word();
    success_output(host.action("create_tag", {{"name", tag}}, c));
    auto again = host.action("create_tag", {{"name", tag}}, c);
    CHECK(again.error_code == "action_validation_failed");
    CHECK(json::parse(again.output_json).at("wp_code") == "term_exists");
    auto o = host.action("list_posts", {{"page", 100000}}, c);
    CHECK(o.kind == SR_RESULT_FATAL_ERROR);
    CHECK(o.error_code == "action_validation_failed");
    CHECK(o.error_message.find("rest_post_invalid_page_number") != std::string::npos);
    CHECK(host.action("get_post", {{"id", 987654}}, c).error_code == "not_found");
}

TEST_CASE("live: the polling trigger sees new posts exactly once across polls") {
    plugin_host host;
    const auto c = connection();
    const auto word = unique_word();
    auto baseline = success_output(host.poll("post_published", {}, c, nullptr));
    CHECK(baseline.at("events").as_array().empty());

    // Two posts created back to back usually share a second: the cursor must tell them apart.
    auto a = success_output(host.action("create_post", {{"title", word + " a"}, {"content", "a"}, {"status", "publish"}}, c));
    auto b = success_output(host.action("create_post", {{"title", word + " b"}, {"content", "b"}, {"status", "publish"}}, c));
    success_output(host.action("create_post", {{"title", word + " draft"}, {"content", "d"}}, c));
    auto first = success_output(host.poll("post_published", {}, c, baseline.at("cursor")));
    CHECK(event_ids(first) == std::vector<int64_t>{a.at("id").as_int64(), b.at("id").as_int64()});
    auto second = success_output(host.poll("post_published", {}, c, first.at("cursor")));
    CHECK(event_ids(second).empty());

    auto later = success_output(host.action("create_post", {{"title", word + " c"}, {"content", "c"}, {"status", "publish"}}, c));
    auto third = success_output(host.poll("post_published", {}, c, second.at("cursor")));
    CHECK(event_ids(third) == std::vector<int64_t>{later.at("id").as_int64()});
    CHECK(third.at("events").at(0).at("title") == json::value(word + " c"));
}
