#include "fake_wordpress.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>

namespace sr::test {

namespace json = boost::json;

namespace {

constexpr const char* api_prefix = "/wp-json/wp/v2";

std::string b64(std::string_view in) {
    static constexpr char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const unsigned n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                           static_cast<unsigned char>(in[i + 2]);
        out += {t[(n >> 18) & 63], t[(n >> 12) & 63], t[(n >> 6) & 63], t[n & 63]};
    }
    if (i + 1 == in.size()) {
        const unsigned n = static_cast<unsigned char>(in[i]) << 16;
        out += {t[(n >> 18) & 63], t[(n >> 12) & 63], '=', '='};
    } else if (i + 2 == in.size()) {
        const unsigned n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
        out += {t[(n >> 18) & 63], t[(n >> 12) & 63], t[(n >> 6) & 63], '='};
    }
    return out;
}

std::string url_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size()) {
            int v = 0;
            std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
            out += static_cast<char>(v);
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::optional<std::string> param(const std::string& query, std::string_view name) {
    std::string_view q = query;
    while (!q.empty()) {
        const auto amp = q.find('&');
        const auto pair = q.substr(0, amp);
        const auto eq = pair.find('=');
        if (url_decode(pair.substr(0, eq)) == name) return eq == std::string_view::npos ? "" : url_decode(pair.substr(eq + 1));
        if (amp == std::string_view::npos) break;
        q.remove_prefix(amp + 1);
    }
    return std::nullopt;
}

std::optional<int64_t> to_int(std::string_view s) {
    int64_t n = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return n;
}

std::vector<int64_t> id_list(const std::string& csv) {
    std::vector<int64_t> out;
    std::size_t start = 0;
    while (start <= csv.size()) {
        const auto comma = csv.find(',', start);
        if (auto n = to_int(std::string_view(csv).substr(start, comma - start))) out.push_back(*n);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

std::string lowercase(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string slugify(const std::string& name) {
    std::string out;
    for (unsigned char c : lowercase(name)) out += std::isalnum(c) ? static_cast<char>(c) : '-';
    return out;
}

const char* reason(int status) {
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 410: return "Gone";
    default: return "Status";
    }
}

// WordPress's error body.
std::string wp_error(std::string code, std::string message, int status, json::object extra = {}) {
    extra["status"] = status;
    return json::serialize(json::object{{"code", std::move(code)}, {"message", std::move(message)}, {"data", std::move(extra)}});
}

int64_t to_seconds(const std::string& d) {
    std::tm tm{};
    std::sscanf(d.c_str(), "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm);
}

std::string from_seconds(int64_t s) {
    const std::time_t t = s;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return buf;
}

// Width and height from a PNG's IHDR chunk.
std::pair<int64_t, int64_t> png_size(const std::string& bytes) {
    if (bytes.size() < 24 || bytes.compare(1, 3, "PNG") != 0) return {0, 0};
    auto be32 = [&](std::size_t at) {
        return (static_cast<int64_t>(static_cast<unsigned char>(bytes[at])) << 24) |
               (static_cast<unsigned char>(bytes[at + 1]) << 16) | (static_cast<unsigned char>(bytes[at + 2]) << 8) |
               static_cast<unsigned char>(bytes[at + 3]);
    };
    return {be32(16), be32(20)};
}

} // namespace

fake_wordpress::fake_wordpress() : server_([this](server_connection& c) { serve(c); }) {
    terms_.push_back({1, "Uncategorized", "uncategorized", "category"});
}

std::string fake_wordpress::site_url() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }

json::object fake_wordpress::app_connection() const {
    return {{"site_url", site_url()}, {"username", user}, {"application_password", app_password}};
}

json::object fake_wordpress::bearer_connection() const { return {{"site_url", site_url() + "/"}, {"token", token}}; }

void fake_wordpress::set_clock(std::string date_gmt) {
    std::lock_guard lock(mutex_);
    clock_ = std::move(date_gmt);
}

void fake_wordpress::set_utc_offset_hours(int hours) {
    std::lock_guard lock(mutex_);
    offset_hours_ = hours;
}

int64_t fake_wordpress::add_post(std::string title, std::string status, std::string date_gmt, std::vector<int64_t> categories) {
    std::lock_guard lock(mutex_);
    post_row p;
    p.id = next_post_id_++;
    p.slug = slugify(title);
    p.title = std::move(title);
    p.content = "Body of " + p.title;
    p.status = std::move(status);
    p.date_gmt = std::move(date_gmt);
    p.modified_gmt = p.date_gmt;
    p.categories = std::move(categories);
    posts_.push_back(p);
    return p.id;
}

int64_t fake_wordpress::add_category(std::string name) {
    std::lock_guard lock(mutex_);
    terms_.push_back({next_term_id_, name, slugify(name), "category"});
    return next_term_id_++;
}

int64_t fake_wordpress::add_tag(std::string name) {
    std::lock_guard lock(mutex_);
    terms_.push_back({next_term_id_, name, slugify(name), "post_tag"});
    return next_term_id_++;
}

void fake_wordpress::add_file(std::string path, std::string content_type, std::string bytes) {
    std::lock_guard lock(mutex_);
    files_.push_back({std::move(path), std::move(content_type), std::move(bytes)});
}

void fake_wordpress::answer_next_with(std::string raw_response) {
    std::lock_guard lock(mutex_);
    canned_.push_back(std::move(raw_response));
}

void fake_wordpress::stall_next() {
    std::lock_guard lock(mutex_);
    ++stalls_;
}

std::optional<json::object> fake_wordpress::post(int64_t id) const {
    std::lock_guard lock(mutex_);
    for (const auto& p : posts_) {
        if (p.id == id) return post_json(p, true);
    }
    return std::nullopt;
}

std::optional<json::object> fake_wordpress::media(int64_t id) const {
    std::lock_guard lock(mutex_);
    for (const auto& m : media_) {
        if (m.id == id) return media_json(m);
    }
    return std::nullopt;
}

std::vector<received_request> fake_wordpress::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

std::string fake_wordpress::local_date(const std::string& date_gmt) const {
    return from_seconds(to_seconds(date_gmt) + offset_hours_ * 3600);
}

int64_t fake_wordpress::term_count(int64_t term_id) const {
    return std::count_if(posts_.begin(), posts_.end(), [&](const post_row& p) {
        return p.status == "publish" && (std::find(p.categories.begin(), p.categories.end(), term_id) != p.categories.end() ||
                                         std::find(p.tags.begin(), p.tags.end(), term_id) != p.tags.end());
    });
}

json::object fake_wordpress::post_json(const post_row& p, bool edit) const {
    json::object title{{"rendered", p.title}};
    json::object content{{"rendered", "<p>" + p.content + "</p>\n"}, {"protected", false}};
    json::object excerpt{{"rendered", p.excerpt.empty() ? "" : "<p>" + p.excerpt + "</p>\n"}, {"protected", false}};
    if (edit) {
        title["raw"] = p.title;
        content["raw"] = p.content;
        excerpt["raw"] = p.excerpt;
    }
    json::array categories(p.categories.begin(), p.categories.end());
    json::array tags(p.tags.begin(), p.tags.end());
    return {{"id", p.id},
            {"date", local_date(p.date_gmt)},
            {"date_gmt", p.date_gmt},
            {"modified", local_date(p.modified_gmt)},
            {"modified_gmt", p.modified_gmt},
            {"slug", p.slug},
            {"status", p.status},
            {"type", "post"},
            {"link", site_url() + "/?p=" + std::to_string(p.id)},
            {"title", std::move(title)},
            {"content", std::move(content)},
            {"excerpt", std::move(excerpt)},
            {"author", 1},
            {"featured_media", p.featured_media},
            {"categories", std::move(categories)},
            {"tags", std::move(tags)},
            {"meta", json::array()}}; // WordPress sends [] for empty meta
}

json::object fake_wordpress::term_json(const term_row& t) const {
    json::object o{{"id", t.id},
                   {"count", term_count(t.id)},
                   {"description", ""},
                   {"link", site_url() + "/?" + (t.taxonomy == "category" ? "cat=" : "tag=") + t.slug},
                   {"name", t.name},
                   {"slug", t.slug},
                   {"taxonomy", t.taxonomy},
                   {"meta", json::array()}};
    if (t.taxonomy == "category") o["parent"] = 0;
    return o;
}

json::object fake_wordpress::media_json(const media_row& m) const {
    return {{"id", m.id},
            {"date_gmt", clock_},
            {"slug", slugify(m.title)},
            {"status", "inherit"},
            {"type", "attachment"},
            {"link", site_url() + "/?attachment_id=" + std::to_string(m.id)},
            {"title", {{"raw", m.title}, {"rendered", m.title}}},
            {"alt_text", m.alt_text},
            {"media_type", m.mime_type.starts_with("image/") ? "image" : "file"},
            {"mime_type", m.mime_type},
            {"media_details", {{"width", m.width}, {"height", m.height}, {"filesize", m.size}, {"file", "2026/11/" + m.filename}}},
            {"source_url", site_url() + "/wp-content/uploads/2026/11/" + m.filename}};
}

void fake_wordpress::serve(server_connection& c) {
    auto request = c.read_request();
    if (!request) return;
    std::string canned;
    bool stall = false;
    {
        std::lock_guard lock(mutex_);
        requests_.push_back(*request);
        if (stalls_ > 0) {
            --stalls_;
            stall = true;
        } else if (!canned_.empty()) {
            canned = std::move(canned_.front());
            canned_.pop_front();
        }
    }
    if (stall) {
        c.wait_for_close(std::chrono::seconds(10));
        return;
    }
    if (!canned.empty()) {
        c.write(canned);
        return;
    }
    reply r;
    {
        std::lock_guard lock(mutex_);
        r = route(*request);
    }
    std::string head = "HTTP/1.1 " + std::to_string(r.status) + " " + reason(r.status) + "\r\n";
    bool has_type = false;
    for (const auto& [name, value] : r.headers) {
        head += name + ": " + value + "\r\n";
        has_type |= lowercase(name) == "content-type";
    }
    if (!has_type) head += "Content-Type: application/json; charset=UTF-8\r\n";
    // Like PHP's built-in server: no Content-Length, the body ends when the connection closes.
    c.write(head + "Connection: close\r\n\r\n" + r.body);
    c.close();
}

fake_wordpress::reply fake_wordpress::route(const received_request& r) {
    const auto question = r.target.find('?');
    const std::string path = r.target.substr(0, question);
    const std::string query = question == std::string::npos ? "" : r.target.substr(question + 1);

    for (const auto& f : files_) {
        if (f.path == path) return {200, f.bytes, {{"Content-Type", f.content_type}}};
    }
    if (!path.starts_with(api_prefix)) return {404, "<html><body>Not Found</body></html>", {{"Content-Type", "text/html"}}};
    const std::string route = path.substr(std::string_view(api_prefix).size());

    // Application Passwords and bearer tokens; anything else is an anonymous request.
    const std::string* auth = r.header("authorization");
    const bool authed = auth != nullptr && (*auth == "Basic " + b64(std::string(user) + ":" + app_password) ||
                                            *auth == std::string("Bearer ") + token);

    auto post_id = [&](std::string_view prefix) -> std::optional<int64_t> {
        if (!route.starts_with(prefix)) return std::nullopt;
        return to_int(std::string_view(route).substr(prefix.size()));
    };

    if (route == "/users/me" && r.method == "GET") {
        if (!authed) return {401, wp_error("rest_not_logged_in", "You are not currently logged in.", 401)};
        return {200, json::serialize(json::object{{"id", 1}, {"name", "admin"}, {"slug", "admin"}})};
    }
    if (route == "/posts" && r.method == "GET") return posts_index(r, query, authed);
    if (route == "/posts" && r.method == "POST") return create_or_update_post(r, query, std::nullopt, authed);
    if (auto id = post_id("/posts/")) {
        if (r.method == "GET") {
            for (const auto& p : posts_) {
                if (p.id != *id) continue;
                const bool edit = param(query, "context") == "edit";
                if (edit && !authed) {
                    return {401, wp_error("rest_forbidden_context", "Sorry, you are not allowed to edit this post.", 401)};
                }
                if (p.status != "publish" && !authed) break;
                return {200, json::serialize(post_json(p, edit))};
            }
            return {404, wp_error("rest_post_invalid_id", "Invalid post ID.", 404)};
        }
        if (r.method == "POST" || r.method == "PUT") return create_or_update_post(r, query, id, authed);
        if (r.method == "DELETE") return delete_post(*id, query, authed);
    }
    if (route == "/media" && r.method == "POST") return upload(r, query, authed);
    if (route == "/categories" && r.method == "GET") return terms_index("category", query);
    if (route == "/tags" && r.method == "GET") return terms_index("post_tag", query);
    if (route == "/tags" && r.method == "POST") return create_tag(r, authed);
    return {404, wp_error("rest_no_route", "No route was found matching the URL and request method.", 404)};
}

fake_wordpress::reply fake_wordpress::posts_index(const received_request&, const std::string& query, bool authed) {
    const std::string status = param(query, "status").value_or("publish");
    if (status != "publish" && !authed) {
        return {400, wp_error("rest_invalid_param", "Invalid parameter(s): status", 400,
                              {{"params", {{"status", "Status is forbidden."}}}})};
    }
    const auto per_page = to_int(param(query, "per_page").value_or("10"));
    const auto page = to_int(param(query, "page").value_or("1"));
    if (!per_page || *per_page < 1 || *per_page > 100) {
        return {400, wp_error("rest_invalid_param", "Invalid parameter(s): per_page", 400,
                              {{"params", {{"per_page", "per_page must be between 1 (inclusive) and 100 (inclusive)"}}}})};
    }
    if (!page || *page < 1) return {400, wp_error("rest_invalid_param", "Invalid parameter(s): page", 400)};
    const auto search = lowercase(param(query, "search").value_or(""));
    const auto categories = id_list(param(query, "categories").value_or(""));
    const auto tags = id_list(param(query, "tags").value_or(""));
    const auto after = param(query, "after");

    // Newest id first, then a stable sort by date only: posts sharing a second come back in
    // an order a client must not rely on.
    std::vector<const post_row*> rows;
    for (auto it = posts_.rbegin(); it != posts_.rend(); ++it) {
        const auto& p = *it;
        if (status == "any" ? p.status == "trash" : p.status != status) continue;
        if (!search.empty() && lowercase(p.title).find(search) == std::string::npos &&
            lowercase(p.content).find(search) == std::string::npos) {
            continue;
        }
        auto any_of_ids = [](const std::vector<int64_t>& have, const std::vector<int64_t>& wanted) {
            return wanted.empty() || std::any_of(wanted.begin(), wanted.end(), [&](int64_t w) {
                       return std::find(have.begin(), have.end(), w) != have.end();
                   });
        };
        if (!any_of_ids(p.categories, categories) || !any_of_ids(p.tags, tags)) continue;
        if (after && !(local_date(p.date_gmt) > after->substr(0, 19))) continue; // site time, exclusive
        rows.push_back(&p);
    }
    const bool asc = param(query, "order") == "asc";
    std::stable_sort(rows.begin(), rows.end(), [&](const post_row* a, const post_row* b) {
        return asc ? a->date_gmt < b->date_gmt : a->date_gmt > b->date_gmt;
    });
    const auto total = static_cast<int64_t>(rows.size());
    const int64_t total_pages = (total + *per_page - 1) / *per_page;
    if (*page > total_pages && total > 0) {
        return {400, wp_error("rest_post_invalid_page_number",
                              "The page number requested is larger than the number of pages available.", 400)};
    }
    json::array items;
    for (int64_t i = (*page - 1) * *per_page; i < std::min(total, *page * *per_page); ++i) {
        items.push_back(post_json(*rows[static_cast<std::size_t>(i)], false));
    }
    return {200, json::serialize(items), {{"X-WP-Total", std::to_string(total)}, {"X-WP-TotalPages", std::to_string(total_pages)}}};
}

fake_wordpress::reply fake_wordpress::create_or_update_post(const received_request& r, const std::string&,
                                                            std::optional<int64_t> id, bool authed) {
    if (!authed) {
        return id ? reply{401, wp_error("rest_cannot_edit", "Sorry, you are not allowed to edit this post.", 401)}
                  : reply{401, wp_error("rest_cannot_create", "Sorry, you are not allowed to create posts as this user.", 401)};
    }
    boost::system::error_code ec;
    auto body = json::parse(r.body, ec);
    if (ec || !body.is_object()) return {400, wp_error("rest_invalid_json", "Invalid JSON body passed.", 400)};
    const auto& b = body.get_object();
    post_row* target = nullptr;
    post_row fresh;
    if (id) {
        for (auto& p : posts_) {
            if (p.id == *id) target = &p;
        }
        if (target == nullptr) return {404, wp_error("rest_post_invalid_id", "Invalid post ID.", 404)};
    } else {
        fresh.status = "draft";
        fresh.categories = {1};
        target = &fresh;
    }
    post_row updated = *target;
    if (const auto* v = b.if_contains("title")) updated.title = json::value_to<std::string>(*v);
    if (const auto* v = b.if_contains("content")) updated.content = json::value_to<std::string>(*v);
    if (const auto* v = b.if_contains("excerpt")) updated.excerpt = json::value_to<std::string>(*v);
    if (const auto* v = b.if_contains("slug")) updated.slug = json::value_to<std::string>(*v);
    if (const auto* v = b.if_contains("status")) {
        const auto s = json::value_to<std::string>(*v);
        if (s != "draft" && s != "publish" && s != "private" && s != "pending" && s != "future") {
            return {400, wp_error("rest_invalid_param", "Invalid parameter(s): status", 400,
                                  {{"params", {{"status", "status is not one of publish, future, draft, pending, private."}}}})};
        }
        updated.status = s;
    }
    // Like WordPress 6.1: ids of terms or media that do not exist are dropped silently.
    auto term_ids = [&](const char* name, const char* taxonomy, std::vector<int64_t>& out) {
        const auto* v = b.if_contains(name);
        if (v == nullptr) return;
        out.clear();
        for (const auto& id_value : v->as_array()) {
            const auto term = id_value.as_int64();
            if (std::any_of(terms_.begin(), terms_.end(),
                            [&](const term_row& t) { return t.id == term && t.taxonomy == taxonomy; })) {
                out.push_back(term);
            }
        }
    };
    term_ids("categories", "category", updated.categories);
    term_ids("tags", "post_tag", updated.tags);
    if (const auto* v = b.if_contains("featured_media")) {
        const auto media = v->as_int64();
        const bool known = std::any_of(media_.begin(), media_.end(), [&](const media_row& m) { return m.id == media; });
        updated.featured_media = known ? media : 0;
    }
    if (!id) {
        if (updated.title.empty() && updated.content.empty()) {
            return {400, wp_error("empty_content", "Content, title, and excerpt are empty.", 400)};
        }
        updated.id = next_post_id_++;
        if (updated.slug.empty()) updated.slug = slugify(updated.title);
        updated.date_gmt = clock_;
    }
    updated.modified_gmt = clock_;
    if (id) {
        *target = updated;
        return {200, json::serialize(post_json(updated, true))};
    }
    posts_.push_back(updated);
    return {201, json::serialize(post_json(updated, true))};
}

fake_wordpress::reply fake_wordpress::delete_post(int64_t id, const std::string& query, bool authed) {
    if (!authed) return {401, wp_error("rest_cannot_delete", "Sorry, you are not allowed to delete this post.", 401)};
    const auto it = std::find_if(posts_.begin(), posts_.end(), [&](const post_row& p) { return p.id == id; });
    if (it == posts_.end()) return {404, wp_error("rest_post_invalid_id", "Invalid post ID.", 404)};
    if (param(query, "force") == "true") {
        json::object previous = post_json(*it, true);
        posts_.erase(it);
        return {200, json::serialize(json::object{{"deleted", true}, {"previous", std::move(previous)}})};
    }
    if (it->status == "trash") return {410, wp_error("rest_already_trashed", "The post has already been deleted.", 410)};
    it->status = "trash";
    return {200, json::serialize(post_json(*it, true))};
}

fake_wordpress::reply fake_wordpress::upload(const received_request& r, const std::string& query, bool authed) {
    if (!authed) return {401, wp_error("rest_cannot_create", "Sorry, you are not allowed to upload media as this user.", 401)};
    if (r.body.empty()) return {400, wp_error("rest_upload_no_data", "No data supplied.", 400)};
    const std::string* disposition = r.header("content-disposition");
    const std::string marker = "filename=\"";
    const auto at = disposition == nullptr ? std::string::npos : disposition->find(marker);
    if (at == std::string::npos) {
        return {400, wp_error("rest_upload_no_content_disposition", "No Content-Disposition supplied.", 400)};
    }
    const auto start = at + marker.size();
    media_row m;
    m.id = next_post_id_++;
    m.filename = disposition->substr(start, disposition->find('"', start) - start);
    const std::string* type = r.header("content-type");
    m.mime_type = type == nullptr ? "application/octet-stream" : *type;
    m.title = param(query, "title").value_or(m.filename.substr(0, m.filename.rfind('.')));
    m.alt_text = param(query, "alt_text").value_or("");
    std::tie(m.width, m.height) = png_size(r.body);
    m.size = r.body.size();
    media_.push_back(m);
    return {201, json::serialize(media_json(m))};
}

fake_wordpress::reply fake_wordpress::terms_index(const std::string& taxonomy, const std::string& query) {
    const auto per_page = to_int(param(query, "per_page").value_or("10")).value_or(10);
    const auto page = to_int(param(query, "page").value_or("1")).value_or(1);
    if (per_page < 1 || per_page > 100) return {400, wp_error("rest_invalid_param", "Invalid parameter(s): per_page", 400)};
    const auto search = lowercase(param(query, "search").value_or(""));
    const bool hide_empty = param(query, "hide_empty") == "true";
    std::vector<const term_row*> rows;
    for (const auto& t : terms_) {
        if (t.taxonomy != taxonomy) continue;
        if (!search.empty() && lowercase(t.name).find(search) == std::string::npos) continue;
        if (hide_empty && term_count(t.id) == 0) continue;
        rows.push_back(&t);
    }
    std::stable_sort(rows.begin(), rows.end(), [](const term_row* a, const term_row* b) { return a->name < b->name; });
    const auto total = static_cast<int64_t>(rows.size());
    const int64_t total_pages = (total + per_page - 1) / per_page;
    if (page > total_pages && total > 0) {
        return {400, wp_error("rest_term_invalid_page_number", "The page number requested is larger than the number of pages available.", 400)};
    }
    json::array items;
    for (int64_t i = (page - 1) * per_page; i < std::min(total, page * per_page); ++i) {
        items.push_back(term_json(*rows[static_cast<std::size_t>(i)]));
    }
    return {200, json::serialize(items), {{"X-WP-Total", std::to_string(total)}, {"X-WP-TotalPages", std::to_string(total_pages)}}};
}

fake_wordpress::reply fake_wordpress::create_tag(const received_request& r, bool authed) {
    if (!authed) return {401, wp_error("rest_cannot_create", "Sorry, you are not allowed to create terms in this taxonomy.", 401)};
    boost::system::error_code ec;
    auto body = json::parse(r.body, ec);
    if (ec || !body.is_object()) return {400, wp_error("rest_invalid_json", "Invalid JSON body passed.", 400)};
    const auto* name = body.get_object().if_contains("name");
    if (name == nullptr || !name->is_string()) {
        return {400, wp_error("rest_missing_callback_param", "Missing parameter(s): name", 400, {{"params", {"name"}}})};
    }
    for (const auto& t : terms_) {
        if (t.taxonomy == "post_tag" && lowercase(t.name) == lowercase(std::string(name->get_string()))) {
            return {400, wp_error("term_exists", "A term with the name provided already exists in this taxonomy.", 400,
                                  {{"term_id", t.id}})};
        }
    }
    term_row t{next_term_id_++, std::string(name->get_string()), slugify(std::string(name->get_string())), "post_tag"};
    terms_.push_back(t);
    return {201, json::serialize(term_json(t))};
}

} // namespace sr::test
