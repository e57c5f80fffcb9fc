#include "http/http_message.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>

namespace sr::host {
namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
        return lower(x) == lower(y);
    });
}

const std::string* find_header(const std::vector<http_header>& headers, std::string_view name) noexcept {
    for (const auto& [n, v] : headers)
        if (iequals(n, name)) return &v;
    return nullptr;
}

} // namespace

const std::string* http_request::header(std::string_view name) const noexcept {
    return find_header(headers, name);
}

const std::string* http_response::header(std::string_view name) const noexcept {
    return find_header(headers, name);
}

void http_response::set_header(std::string_view name, std::string value) {
    std::erase_if(headers, [&](const http_header& h) { return iequals(h.first, name); });
    headers.emplace_back(std::string(name), std::move(value));
}

http_response http_response::json(int status, const boost::json::value& body) {
    http_response res;
    res.status = status;
    res.set_header("Content-Type", "application/json");
    res.body = boost::json::serialize(body);
    return res;
}

http_response http_response::text(int status, std::string body, std::string content_type) {
    http_response res;
    res.status = status;
    res.set_header("Content-Type", std::move(content_type));
    res.body = std::move(body);
    return res;
}

} // namespace sr::host
