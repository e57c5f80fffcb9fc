// The wordpress plugin's pure parts, called directly (wordpress_static): base64, dates,
// Retry-After, the connection's site and the polling cursor's rules.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "base64.hpp"
#include "poll_cursor.hpp"
#include "wp_exchange.hpp"
#include "wp_site.hpp"
#include "wp_time.hpp"

namespace json = boost::json;
namespace wp = sr::plugins::wordpress;

namespace {

json::value post(int64_t id, const char* date_gmt, const char* date = nullptr) {
    return json::object{{"id", id}, {"date_gmt", date_gmt}, {"date", date != nullptr ? date : date_gmt}};
}

std::vector<int64_t> ids(const std::vector<json::value>& posts) {
    std::vector<int64_t> out;
    for (const auto& p : posts) out.push_back(p.at("id").as_int64());
    return out;
}

} // namespace

TEST_CASE("base64 round-trips bytes of every length and refuses characters outside the alphabet") {
    for (const std::string& s : std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\x00\xff\x10", 3)}) {
        CHECK(wp::base64_decode(wp::base64_encode(s)) == s);
    }
    CHECK(wp::base64_decode("aGVs\nbG8=") == std::string("hello"));
    CHECK(wp::base64_decode("aGVsbG8") == std::string("hello"));
    CHECK_FALSE(wp::base64_decode("aGV*bG8="));
    CHECK_FALSE(wp::base64_decode("aGVsbG8=x"));
    CHECK_FALSE(wp::base64_decode("a"));
}

TEST_CASE("HTTP dates and WordPress dates parse to Unix seconds and impossible ones are refused") {
    CHECK(wp::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777);
    CHECK_FALSE(wp::parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"));
    CHECK_FALSE(wp::parse_http_date("Sun, 31 Feb 1994 08:49:37 GMT"));
    CHECK(wp::parse_wp_date("1994-11-06T08:49:37") == 784111777);
    CHECK(wp::parse_wp_date("1994-11-06 08:49:37") == 784111777);
    CHECK(wp::parse_wp_date("1994-11-06T08:49:37Z") == 784111777);
    CHECK_FALSE(wp::parse_wp_date("1994-11-06T08:49"));
    CHECK_FALSE(wp::parse_wp_date("1994-11-06T08:49:37+02:00"));
    CHECK(wp::format_wp_date(784111777) == "1994-11-06T08:49:37");
    CHECK(wp::format_wp_date(*wp::parse_wp_date("2024-03-01T00:00:00") - 1) == "2024-02-29T23:59:59");
}

TEST_CASE("Retry-After is read as delta seconds or as an HTTP date relative to now") {
    sr::sdk::http_response r;
    r.status = SR_OK;
    r.http_status = 429;
    CHECK(wp::retry_after_ms(r, 0) == -1);
    r.headers = {{"retry-after", " 12 "}};
    CHECK(wp::retry_after_ms(r, 0) == 12000);
    r.headers = {{"retry-after", "Sun, 06 Nov 1994 08:49:37 GMT"}};
    CHECK(wp::retry_after_ms(r, 784111770'000) == 7000);
    CHECK(wp::retry_after_ms(r, 784111790'000) == 0);
    r.headers = {{"retry-after", "soon"}};
    CHECK(wp::retry_after_ms(r, 0) == -1);
}

TEST_CASE("a site URL becomes the REST root whether or not it names /wp-json") {
    auto root = [](const char* url) {
        auto site = wp::site_from_connection(json::object{{"site_url", url}, {"token", "t"}});
        REQUIRE(std::holds_alternative<wp::wp_site>(site));
        return std::get<wp::wp_site>(site).api_root;
    };
    CHECK(root("https://blog.example.com") == "https://blog.example.com/wp-json/wp/v2");
    CHECK(root("https://blog.example.com/") == "https://blog.example.com/wp-json/wp/v2");
    CHECK(root("https://example.com/blog/wp-json/") == "https://example.com/blog/wp-json/wp/v2");
    CHECK(root("http://127.0.0.1:8088/wp-json/wp/v2") == "http://127.0.0.1:8088/wp-json/wp/v2");
}

TEST_CASE("a connection with a bad site URL or missing credentials is connection_invalid without its secret") {
    for (const auto& connection : {json::object{{"site_url", "ftp://x"}, {"token", "sekret"}},
                                   json::object{{"site_url", "https://u:sekret@x.example"}, {"token", "sekret"}},
                                   json::object{{"site_url", "https://x.example"}, {"username", "a"}},
                                   json::object{{"token", "sekret"}}}) {
        auto site = wp::site_from_connection(connection);
        REQUIRE(std::holds_alternative<sr::sdk::result>(site));
        const auto& error = std::get<sr::sdk::result>(site);
        CHECK(error.code() == "connection_invalid");
        CHECK(error.message().find("sekret") == std::string::npos);
    }
}

TEST_CASE("the first poll's cursor remembers every post of the newest second") {
    json::array page{post(5, "2026-11-22T10:00:01"), post(7, "2026-11-22T10:00:03"), post(6, "2026-11-22T10:00:03")};
    const auto cursor = wp::baseline(page);
    CHECK(cursor.after == "2026-11-22T10:00:03");
    CHECK(cursor.seen_ids == std::vector<int64_t>{6, 7});
    CHECK(wp::baseline(json::array()).after.empty());
}

TEST_CASE("new posts are those after the cursor or in its second and unseen, oldest first") {
    wp::poll_cursor cursor{"2026-11-22T10:00:03", "2026-11-22T11:00:03", {6, 7}};
    json::array page{post(9, "2026-11-22T10:00:04"), post(8, "2026-11-22T10:00:03"), post(7, "2026-11-22T10:00:03"),
                     post(4, "2026-11-22T10:00:02"), post(9, "2026-11-22T10:00:04")};
    const auto fresh = wp::new_posts(page, cursor);
    CHECK(ids(fresh) == std::vector<int64_t>{8, 9});
    const auto next = wp::advance(cursor, fresh);
    CHECK(next.after == "2026-11-22T10:00:04");
    CHECK(next.seen_ids == std::vector<int64_t>{9});
}

TEST_CASE("advancing within the same second adds to seen_ids instead of replacing them") {
    wp::poll_cursor cursor{"2026-11-22T10:00:03", "2026-11-22T10:00:03", {6}};
    const auto next = wp::advance(cursor, {post(8, "2026-11-22T10:00:03")});
    CHECK(next.seen_ids == std::vector<int64_t>{6, 8});
}

TEST_CASE("the query looks one second back in site time, or 14 hours further without it") {
    CHECK(wp::query_after({"2026-11-22T10:00:03", "2026-11-22T15:00:03", {}}) == "2026-11-22T15:00:02");
    CHECK(wp::query_after({"2026-11-22T10:00:03", "", {}}) == "2026-11-21T20:00:02");
    CHECK(wp::query_after({}).empty());
}

TEST_CASE("a cursor round-trips through JSON and malformed cursors are refused") {
    wp::poll_cursor cursor{"2026-11-22T10:00:03", "2026-11-22T10:00:03", {6, 7}};
    auto parsed = wp::parse_cursor(wp::to_json(cursor));
    REQUIRE(std::holds_alternative<std::optional<wp::poll_cursor>>(parsed));
    const auto& back = *std::get<std::optional<wp::poll_cursor>>(parsed);
    CHECK(back.after == cursor.after);
    CHECK(back.seen_ids == cursor.seen_ids);
    CHECK_FALSE(std::get<std::optional<wp::poll_cursor>>(wp::parse_cursor(nullptr)).has_value());
    for (const auto& bad : {json::value("x"), json::value(json::object{{"after", "yesterday"}}),
                            json::value(json::object{{"after", "2026-11-22T10:00:03"}, {"seen_ids", "1"}}),
                            json::value(json::object{{"seen_ids", json::array{"a"}}})}) {
        CHECK(std::holds_alternative<std::string>(wp::parse_cursor(bad)));
    }
}
