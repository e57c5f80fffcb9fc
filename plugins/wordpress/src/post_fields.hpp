#pragma once
// What the post actions share: the settings that describe a post (with the seeds' limits:
// title <= 200 characters, content <= 10000, <= 10 categories, <= 20 tags), the WordPress
// request body built from them, and the one output shape every post has in this plugin
// (actions, the polling trigger and the webhook trigger alike).
#include "settings_reader.hpp"

#include <scenario/sdk.hpp>

#include <boost/json.hpp>

#include <string>
#include <variant>

namespace sr::plugins::wordpress {

inline constexpr std::size_t max_title_chars = 200;
inline constexpr std::size_t max_content_chars = 10000;
inline constexpr std::size_t max_excerpt_chars = 1000;
inline constexpr std::size_t max_categories = 10;
inline constexpr std::size_t max_tags = 20;

// JSON Schema properties of a post's settings (title, content, status, excerpt, slug,
// categories, tags, tag_search, featured_media).
boost::json::object post_setting_properties();

// The WordPress request body for the post settings present in `settings`; `require_content`
// demands title and content (create). tag_search only feeds the tags field's options.
std::variant<boost::json::object, sdk::result> post_body(const boost::json::object& settings, bool require_content);

// A WordPress post (REST shape, view or edit context) in this plugin's output shape:
// {id, type, status, title, content, excerpt, slug, link, date, date_gmt, modified_gmt,
//  author, categories, tags, featured_media}. title/content/excerpt are the raw text when the
// response has it (edit context), else the rendered HTML.
boost::json::object post_output(const boost::json::value& wp_post);

// The JSON Schema of post_output and a sample of it.
const char* post_output_schema();
const char* post_sample_output();

} // namespace sr::plugins::wordpress
