#include "webhooks/webhook_payload.hpp"

#include "services/jsonb_text.hpp"
#include "services/utf8_text.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/string.hpp>

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>

#include <fmt/format.h>

namespace sr::host {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// "Application/JSON; charset=utf-8" → "application/json".
std::string media_type(const std::string* content_type) {
    if (content_type == nullptr) return {};
    std::string_view text = *content_type;
    text = text.substr(0, text.find(';'));
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return lower(text);
}

bool is_json_type(std::string_view type) {
    return type == "application/json" || type == "text/json" ||
           (type.size() > 5 && type.ends_with("+json"));
}

std::string to_base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string form_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%') {
            int hi = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
            int lo = hi >= 0 ? hex_value(text[i + 2]) : -1;
            if (lo < 0) throw payload_error("malformed percent-encoding in form data");
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += c;
        }
    }
    if (!is_valid_utf8(out)) throw payload_error("form data is not valid UTF-8 once decoded");
    return out;
}

// Credentials and signatures stay out of run records: whoever reads a run must not be able to
// replay a delivery or reuse a token.
bool is_hidden_header(std::string_view name) {
    static constexpr std::array<std::string_view, 9> hidden = {
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-signature",
        "stripe-signature", "x-hub-signature", "x-hub-signature-256", "x-api-key"};
    return std::find(hidden.begin(), hidden.end(), name) != hidden.end();
}

} // namespace

parsed_body parse_webhook_body(std::string_view body, const std::string* content_type) {
    std::string type = media_type(content_type);
    if (is_json_type(type)) {
        if (body.empty()) return {nullptr, false};
        boost::system::error_code ec;
        auto value = boost::json::parse(body, ec);
        if (ec) throw payload_error("the body is not valid JSON: " + ec.message());
        if (holds_nul(value)) throw payload_error("the body holds the character U+0000, which cannot be stored");
        return {std::move(value), false};
    }
    if (type == "application/x-www-form-urlencoded") {
        auto form = parse_form(body);
        if (holds_nul(form)) throw payload_error("the form data holds the character U+0000, which cannot be stored");
        return {std::move(form), false};
    }
    // Text with NUL bytes is kept like binary data (base64), which jsonb can hold.
    if (is_valid_utf8(body) && body.find('\0') == std::string_view::npos) return {boost::json::string(body), false};
    return {boost::json::string(to_base64(body)), true};
}

boost::json::object visible_headers(const std::vector<http_header>& headers) {
    boost::json::object out;
    for (const auto& [raw_name, value] : headers) {
        std::string name = lower(raw_name);
        if (is_hidden_header(name)) continue;
        std::string text = is_valid_utf8(value) ? value : to_valid_utf8(value);
        if (auto* existing = out.if_contains(name)) {
            auto& joined = existing->as_string();
            joined.append(", ");
            joined.append(text);
        } else {
            out[name] = text;
        }
    }
    return out;
}

boost::json::object parse_form(std::string_view text) {
    boost::json::object out;
    while (!text.empty()) {
        auto amp = text.find('&');
        std::string_view pair = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        std::string key = form_decode(pair.substr(0, eq));
        std::string value = eq == std::string_view::npos ? std::string{} : form_decode(pair.substr(eq + 1));
        auto* existing = out.if_contains(key);
        if (existing == nullptr) {
            out[key] = value;
        } else if (existing->is_array()) {
            existing->as_array().emplace_back(value);
        } else {
            boost::json::array both{*existing, boost::json::string(value)};
            *existing = std::move(both);
        }
    }
    return out;
}

boost::json::object make_trigger_data(const http_request& request, std::string_view received_at) {
    auto body = parse_webhook_body(request.body, request.header("content-type"));
    boost::json::object data;
    data["body"] = std::move(body.value);
    if (body.base64) data["body_encoding"] = "base64";
    data["headers"] = visible_headers(request.headers);
    data["query"] = parse_form(request.query);
    if (holds_nul(data["query"]) || holds_nul(data["headers"]))
        throw payload_error("the query string or a header holds the character U+0000, which cannot be stored");
    data["method"] = request.method;
    data["received_at"] = received_at;
    return data;
}

std::string utc_now_iso() {
    auto now = std::chrono::system_clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                       tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
}

} // namespace sr::host
