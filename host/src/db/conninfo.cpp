#include "db/conninfo.hpp"

#include <fmt/format.h>

namespace sr::host {
namespace {

bool is_uri(std::string_view conninfo) {
    return conninfo.starts_with("postgresql://") || conninfo.starts_with("postgres://");
}

std::string percent_encode(std::string_view value) {
    std::string out;
    for (unsigned char c : value) {
        bool plain = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                     c == '-' || c == '_' || c == '.' || c == '~';
        if (plain) out.push_back(static_cast<char>(c));
        else out += fmt::format("%{:02X}", c);
    }
    return out;
}

} // namespace

std::string quote_conninfo_value(std::string_view value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\'' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    out.push_back('\'');
    return out;
}

std::string conninfo_with(std::string_view conninfo, std::string_view key, std::string_view value) {
    if (is_uri(conninfo)) {
        char sep = conninfo.find('?') == std::string_view::npos ? '?' : '&';
        return fmt::format("{}{}{}={}", conninfo, sep, key, percent_encode(value));
    }
    if (conninfo.empty()) return fmt::format("{}={}", key, quote_conninfo_value(value));
    return fmt::format("{} {}={}", conninfo, key, quote_conninfo_value(value));
}

} // namespace sr::host
