#include "term_output.hpp"

#include "settings_reader.hpp"
#include "wp_exchange.hpp"

#include <cstdint>
#include <utility>

namespace sr::plugins::wordpress {

namespace {

boost::json::value member_or(const boost::json::object& o, std::string_view name, boost::json::value fallback) {
    const auto* v = o.if_contains(name);
    return v == nullptr ? fallback : *v;
}

} // namespace

boost::json::object term_output(const boost::json::value& wp_term) {
    static const boost::json::object empty;
    const auto& t = wp_term.is_object() ? wp_term.get_object() : empty;
    boost::json::object out{{"id", member_or(t, "id", 0)},
                            {"name", member_or(t, "name", "")},
                            {"slug", member_or(t, "slug", "")},
                            {"count", member_or(t, "count", 0)},
                            {"description", member_or(t, "description", "")},
                            {"link", member_or(t, "link", "")},
                            {"taxonomy", member_or(t, "taxonomy", "")}};
    if (const auto* parent = t.if_contains("parent")) out["parent"] = *parent;
    return out;
}

void run_term_listing(const sdk::action_context& ctx, sdk::completion done, const std::string& path) {
    settings_reader read(ctx.settings());
    const auto page = read.integer("page", 1, 100000).value_or(1);
    const auto per_page = read.integer("per_page", 1, 100).value_or(100);
    const auto search = read.text("search", 200);
    const auto hide_empty = read.boolean("hide_empty").value_or(false);
    if (!read.ok()) {
        done(read.error());
        return;
    }
    auto site = site_or_fail(ctx, done);
    if (!site) return;
    wp_call call;
    call.path = path;
    call.query = {{"page", std::to_string(page)},
                  {"per_page", std::to_string(per_page)},
                  {"hide_empty", hide_empty ? "true" : "false"}};
    if (search && !search->empty()) call.query.emplace_back("search", *search);
    send(ctx, *site, call, std::move(done), [page, per_page](wp_reply reply, sdk::completion done) {
        boost::json::array items;
        if (reply.body.is_array()) {
            for (const auto& term : reply.body.get_array()) items.push_back(term_output(term));
        }
        const auto count = static_cast<int64_t>(items.size());
        done(sdk::result::success({{"items", std::move(items)},
                                   {"page", page},
                                   {"per_page", per_page},
                                   {"total", reply.total >= 0 ? reply.total : count},
                                   {"total_pages", reply.total_pages >= 0 ? reply.total_pages : (count > 0 ? 1 : 0)}}));
    });
}

const char* term_listing_settings_schema() {
    return R"({
        "type": "object",
        "properties": {
            "page": {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": 100, "default": 100},
            "search": {"type": "string", "maxLength": 200},
            "hide_empty": {"type": "boolean", "default": false}
        }
    })";
}

const char* term_listing_output_schema() {
    return R"({
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"type": "object"}},
            "page": {"type": "integer"}, "per_page": {"type": "integer"},
            "total": {"type": "integer"}, "total_pages": {"type": "integer"}
        },
        "required": ["items", "total", "total_pages"]
    })";
}

} // namespace sr::plugins::wordpress
