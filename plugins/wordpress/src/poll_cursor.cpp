#include "poll_cursor.hpp"

#include "settings_reader.hpp"
#include "wp_time.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

namespace sr::plugins::wordpress {

namespace {

// Site time differs from UTC by at most 14 hours: a cursor without its site time looks back
// that far (seen_ids and date_gmt keep the extra posts out).
constexpr int64_t max_zone_offset_s = 14 * 3600;

struct post_key {
    std::string date_gmt, date;
    int64_t id = 0;
};

std::optional<std::string> wp_date_member(const boost::json::object& o, std::string_view name) {
    const auto* v = o.if_contains(name);
    if (v == nullptr || !v->is_string() || !parse_wp_date(v->get_string())) return std::nullopt;
    return std::string(v->get_string().subview().substr(0, 19));
}

std::optional<post_key> key_of(const boost::json::value& post) {
    const auto* o = post.if_object();
    if (o == nullptr) return std::nullopt;
    const auto gmt = wp_date_member(*o, "date_gmt");
    const auto* id = o->if_contains("id");
    const auto n = id == nullptr ? std::nullopt : json_integer(*id);
    if (!gmt || !n || *n < 1) return std::nullopt;
    return post_key{*gmt, wp_date_member(*o, "date").value_or(""), *n};
}

bool seen(const poll_cursor& c, int64_t id) {
    return std::find(c.seen_ids.begin(), c.seen_ids.end(), id) != c.seen_ids.end();
}

} // namespace

std::variant<std::optional<poll_cursor>, std::string> parse_cursor(const boost::json::value& cursor) {
    if (cursor.is_null()) return std::optional<poll_cursor>();
    const auto* o = cursor.if_object();
    if (o == nullptr) return std::string("the cursor must be an object");
    poll_cursor out;
    if (const auto* after = o->if_contains("after"); after != nullptr && !after->is_null()) {
        auto date = wp_date_member(*o, "after");
        if (!date) return std::string("cursor.after must be a date");
        out.after = std::move(*date);
    }
    if (const auto* local = o->if_contains("after_local"); local != nullptr && !local->is_null()) {
        auto date = wp_date_member(*o, "after_local");
        if (!date) return std::string("cursor.after_local must be a date");
        out.after_local = std::move(*date);
    }
    if (const auto* ids = o->if_contains("seen_ids"); ids != nullptr && !ids->is_null()) {
        if (!ids->is_array()) return std::string("cursor.seen_ids must be an array");
        for (const auto& id : ids->get_array()) {
            const auto n = json_integer(id);
            if (!n) return std::string("cursor.seen_ids must hold post ids");
            out.seen_ids.push_back(*n);
        }
    }
    return std::optional<poll_cursor>(std::move(out));
}

boost::json::object to_json(const poll_cursor& cursor) {
    boost::json::array ids;
    for (auto id : cursor.seen_ids) ids.emplace_back(id);
    auto date_or_null = [](const std::string& d) { return d.empty() ? boost::json::value(nullptr) : boost::json::value(d); };
    return {{"after", date_or_null(cursor.after)}, {"after_local", date_or_null(cursor.after_local)}, {"seen_ids", std::move(ids)}};
}

std::string query_after(const poll_cursor& cursor) {
    if (!cursor.after_local.empty()) return format_wp_date(*parse_wp_date(cursor.after_local) - 1);
    if (!cursor.after.empty()) return format_wp_date(*parse_wp_date(cursor.after) - 1 - max_zone_offset_s);
    return {};
}

std::vector<boost::json::value> new_posts(const boost::json::array& page, const poll_cursor& cursor) {
    std::vector<std::pair<post_key, const boost::json::value*>> fresh;
    for (const auto& post : page) {
        const auto key = key_of(post);
        if (!key) continue;
        if (!cursor.after.empty()) {
            if (key->date_gmt < cursor.after) continue;
            if (key->date_gmt == cursor.after && seen(cursor, key->id)) continue;
        }
        fresh.emplace_back(*key, &post);
    }
    std::sort(fresh.begin(), fresh.end(), [](const auto& a, const auto& b) {
        return std::tie(a.first.date_gmt, a.first.id) < std::tie(b.first.date_gmt, b.first.id);
    });
    std::vector<boost::json::value> out;
    int64_t last_id = 0;
    for (const auto& [key, post] : fresh) {
        if (key.id == last_id) continue; // a page may repeat a post
        out.push_back(*post);
        last_id = key.id;
    }
    return out;
}

poll_cursor advance(poll_cursor cursor, const std::vector<boost::json::value>& emitted) {
    for (const auto& post : emitted) {
        const auto key = key_of(post);
        if (!key) continue;
        if (cursor.after.empty() || key->date_gmt > cursor.after) {
            cursor.after = key->date_gmt;
            cursor.after_local = key->date;
            cursor.seen_ids = {key->id};
        } else if (key->date_gmt == cursor.after && !seen(cursor, key->id)) {
            cursor.seen_ids.push_back(key->id);
            if (cursor.after_local.empty()) cursor.after_local = key->date;
        }
    }
    return cursor;
}

poll_cursor baseline(const boost::json::array& page) {
    std::vector<boost::json::value> all(page.begin(), page.end());
    std::vector<std::pair<post_key, boost::json::value>> keyed;
    for (auto& post : all) {
        if (auto key = key_of(post)) keyed.emplace_back(std::move(*key), std::move(post));
    }
    std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
        return std::tie(a.first.date_gmt, a.first.id) < std::tie(b.first.date_gmt, b.first.id);
    });
    std::vector<boost::json::value> ordered;
    for (auto& [key, post] : keyed) ordered.push_back(std::move(post));
    return advance(poll_cursor{}, ordered);
}

} // namespace sr::plugins::wordpress
