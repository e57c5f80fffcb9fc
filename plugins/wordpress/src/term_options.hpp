#pragma once
// The dynamic multi-selects of the post actions and the polling trigger: categories and tags
// of the connected site, fetched at edit time (SR_CALL_FIELD_OPTIONS) and cached by the host
// for cache_ttl_s. Tags depend on the connection and on the `tag_search` setting: their
// options are the tags matching it (all tags, most used first, when it is empty).
#include <scenario/sdk.hpp>

#include <boost/json.hpp>

#include <cstdint>

namespace sr::plugins::wordpress {

inline constexpr int64_t term_options_ttl_s = 300;

sdk::dynamic_field categories_field();
sdk::dynamic_field tags_field();

// [{"value": id, "label": name}, ...] for a page of WordPress terms.
boost::json::array term_options(const boost::json::value& terms);

} // namespace sr::plugins::wordpress
