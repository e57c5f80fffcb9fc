#include "wp_site.hpp"

#include "base64.hpp"

#include <algorithm>
#include <cctype>

namespace sr::plugins::wordpress {

namespace {

sdk::result invalid_connection(std::string message) {
    return sdk::result::fatal("connection_invalid", std::move(message));
}

// A non-empty string member, or null.
const boost::json::string* text_field(const boost::json::object& o, std::string_view name) {
    const auto* v = o.if_contains(name);
    if (v == nullptr || !v->is_string() || v->get_string().empty()) return nullptr;
    return &v->get_string();
}

bool has_line_break(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           });
}

// "https://blog.example.com/" or ".../wp-json" -> ".../wp-json/wp/v2".
std::variant<std::string, sdk::result> api_root_of(std::string_view site_url) {
    if (!(starts_with_nocase(site_url, "http://") || starts_with_nocase(site_url, "https://")) ||
        site_url.find_first_of(" \t\r\n?#") != std::string_view::npos) {
        return invalid_connection("site_url must be an http:// or https:// URL without query or fragment");
    }
    const auto authority = site_url.find("://") + 3;
    if (authority >= site_url.size() || site_url[authority] == '/') {
        return invalid_connection("site_url has no host");
    }
    if (site_url.substr(authority, site_url.find('/', authority) - authority).find('@') != std::string_view::npos) {
        return invalid_connection("site_url must not carry credentials; use the connection's fields");
    }
    while (!site_url.empty() && site_url.back() == '/') site_url.remove_suffix(1);
    std::string root(site_url);
    if (root.ends_with("/wp-json/wp/v2")) return root;
    if (root.ends_with("/wp-json")) return root + "/wp/v2";
    return root + "/wp-json/wp/v2";
}

std::string detect_type(const boost::json::object& connection) {
    if (connection.contains("token") && !connection.contains("application_password")) return "bearer_token";
    return "app_password";
}

} // namespace

std::variant<wp_site, sdk::result> site_from_connection(const boost::json::object& connection, std::string_view type) {
    const auto* site_url = text_field(connection, "site_url");
    if (site_url == nullptr) return invalid_connection("the connection has no site_url");
    auto root = api_root_of(*site_url);
    if (auto* error = std::get_if<sdk::result>(&root)) return std::move(*error);

    wp_site site;
    site.api_root = std::move(std::get<std::string>(root));
    const std::string kind = type.empty() ? detect_type(connection) : std::string(type);
    if (kind == "bearer_token") {
        const auto* token = text_field(connection, "token");
        if (token == nullptr) return invalid_connection("the connection has no token");
        if (has_line_break(*token)) return invalid_connection("the connection's token is malformed");
        site.authorization = "Bearer " + std::string(*token);
        return site;
    }
    const auto* username = text_field(connection, "username");
    const auto* password = text_field(connection, "application_password");
    if (username == nullptr) return invalid_connection("the connection has no username");
    if (password == nullptr) return invalid_connection("the connection has no application_password");
    if (username->find(':') != boost::json::string::npos) {
        return invalid_connection("the connection's username must not contain ':'");
    }
    site.authorization = "Basic " + base64_encode(std::string(*username) + ":" + std::string(*password));
    return site;
}

std::string url_encode(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out += {'%', hex[c >> 4], hex[c & 15]};
        }
    }
    return out;
}

std::string rest_url(const wp_site& site, std::string_view path, const query_params& query) {
    std::string url = site.api_root + std::string(path);
    char separator = '?';
    for (const auto& [name, value] : query) {
        url += separator;
        url += url_encode(name);
        url += '=';
        url += url_encode(value);
        separator = '&';
    }
    return url;
}

} // namespace sr::plugins::wordpress
