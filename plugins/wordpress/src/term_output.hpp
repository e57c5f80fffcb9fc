#pragma once
// Categories and tags in this plugin's output shape, and the listing both list actions share.
#include <scenario/sdk.hpp>

#include <boost/json.hpp>

#include <string>

namespace sr::plugins::wordpress {

// {id, name, slug, count, description, link, taxonomy} (+ parent for categories).
boost::json::object term_output(const boost::json::value& wp_term);

// Lists one page of `path` ("/categories" or "/tags") with the settings page, per_page,
// search and hide_empty; outputs {items, page, per_page, total, total_pages}.
void run_term_listing(const sdk::action_context& ctx, sdk::completion done, const std::string& path);

const char* term_listing_settings_schema();
const char* term_listing_output_schema();

} // namespace sr::plugins::wordpress
