#pragma once
// A small fake WordPress on 127.0.0.1 (real sockets, one thread per connection) that answers
// the REST calls the wordpress plugin makes with the shapes, error bodies, status codes and
// pagination headers WordPress 6.1 uses (see shared/docs/wordpress.md): posts, media,
// categories, tags, users/me, Application Password (Basic) and bearer auth, anonymous reads
// with wrong credentials, `after` filtering on the site-time date, X-WP-Total(Pages).
// Posts that share a date come back in an unhelpful order (newest id first), as MySQL may.
// It also serves plain files (for media uploads from a URL) and can be told to answer the
// next requests with a canned response (rate limits, server errors, stalls).
#include "test_servers.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sr::test {

class fake_wordpress {
public:
    static constexpr const char* user = "admin";
    static constexpr const char* app_password = "abcd EFGH 1234 ijkl MNOP 5678";
    static constexpr const char* token = "tok-3f9a-secret-bearer";

    fake_wordpress();

    std::string site_url() const;
    // {"site_url", "username", "application_password"} for this site.
    boost::json::object app_connection() const;
    boost::json::object bearer_connection() const;

    // The "current time" (UTC, "YYYY-MM-DDTHH:MM:SS") new posts are published at, and the
    // site's offset from UTC (its `date` fields and the `after` filter use site time).
    void set_clock(std::string date_gmt);
    void set_utc_offset_hours(int hours);

    // Adds a post directly (no request); returns its id.
    int64_t add_post(std::string title, std::string status, std::string date_gmt, std::vector<int64_t> categories = {1});
    int64_t add_category(std::string name);
    int64_t add_tag(std::string name);
    void add_file(std::string path, std::string content_type, std::string bytes);

    // The next requests (any path) get this raw HTTP response instead, in order.
    void answer_next_with(std::string raw_response);
    // The next request is read and never answered (the connection stays open until closed).
    void stall_next();

    std::optional<boost::json::object> post(int64_t id) const;
    std::optional<boost::json::object> media(int64_t id) const;
    std::vector<received_request> requests() const;

private:
    struct post_row {
        int64_t id = 0;
        std::string title, content, excerpt, status, slug, date_gmt, modified_gmt;
        int64_t featured_media = 0;
        std::vector<int64_t> categories, tags;
    };
    struct term_row {
        int64_t id = 0;
        std::string name, slug, taxonomy;
    };
    struct media_row {
        int64_t id = 0;
        std::string filename, mime_type, title, alt_text;
        int64_t width = 0, height = 0;
        std::size_t size = 0;
    };
    struct file_row {
        std::string path, content_type, bytes;
    };
    struct reply {
        int status = 200;
        std::string body{};
        std::vector<std::pair<std::string, std::string>> headers{};
    };

    void serve(server_connection& c);
    reply route(const received_request& r);
    reply posts_index(const received_request& r, const std::string& query, bool authed);
    reply create_or_update_post(const received_request& r, const std::string& query, std::optional<int64_t> id,
                                bool authed);
    reply delete_post(int64_t id, const std::string& query, bool authed);
    reply upload(const received_request& r, const std::string& query, bool authed);
    reply terms_index(const std::string& taxonomy, const std::string& query);
    reply create_tag(const received_request& r, bool authed);

    boost::json::object post_json(const post_row& p, bool edit) const;
    boost::json::object term_json(const term_row& t) const;
    boost::json::object media_json(const media_row& m) const;
    std::string local_date(const std::string& date_gmt) const;
    int64_t term_count(int64_t term_id) const;

    mutable std::mutex mutex_;
    std::vector<post_row> posts_;
    std::vector<term_row> terms_;
    std::vector<media_row> media_;
    std::vector<file_row> files_;
    std::deque<std::string> canned_;
    int stalls_ = 0;
    std::vector<received_request> requests_;
    int64_t next_post_id_ = 1; // posts and media share wp_posts' ids
    int64_t next_term_id_ = 2; // categories and tags share wp_terms' ids; 1 is "Uncategorized"
    std::string clock_ = "2026-11-22T10:00:00";
    int offset_hours_ = 0;
    scripted_server server_; // last: its threads use everything above
};

} // namespace sr::test
