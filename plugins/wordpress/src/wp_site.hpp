#pragma once
// A WordPress site as a call's connection describes it: where its REST API is and how to
// authenticate. Two credential shapes are accepted, whichever connection type saved them:
//   app_password:  {"site_url", "username", "application_password"}  -> Basic auth
//   bearer_token:  {"site_url", "token"}                             -> Bearer auth
// The authorization header value is a secret: it goes into requests and nowhere else.
#include <scenario/sdk.hpp>

#include <boost/json.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace sr::plugins::wordpress {

using query_params = std::vector<std::pair<std::string, std::string>>;

struct wp_site {
    std::string api_root;      // e.g. "https://blog.example.com/wp-json/wp/v2"
    std::string authorization; // "Basic ..." or "Bearer ..."
};

// The site for `connection`, or a fatal connection_invalid naming the missing field (never
// its value). `type` forces a connection type id ("app_password", "bearer_token"); empty
// picks the type by the fields present.
std::variant<wp_site, sdk::result> site_from_connection(const boost::json::object& connection,
                                                        std::string_view type = {});

// Percent-encodes a query component (RFC 3986 unreserved characters stay as they are).
std::string url_encode(std::string_view text);

// api_root + path + "?" + encoded query.
std::string rest_url(const wp_site& site, std::string_view path, const query_params& query = {});

} // namespace sr::plugins::wordpress
