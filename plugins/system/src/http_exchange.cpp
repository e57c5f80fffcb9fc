#include "http_exchange.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <limits>

namespace sr::plugins::system {

namespace {

constexpr int64_t max_timeout_ms = 600000;

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && lower(s.substr(0, prefix.size())) == prefix;
}

bool is_token(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    });
}

bool has_line_break(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

bool has_header(const sdk::http_request& request, std::string_view lower_name) {
    return std::any_of(request.headers.begin(), request.headers.end(),
                       [&](const sdk::http_header& h) { return lower(h.name) == lower_name; });
}

// Header values may be given as strings, numbers or booleans.
bool header_text(const boost::json::value& v, std::string& out) {
    if (const auto* s = v.if_string()) {
        out.assign(s->data(), s->size());
        return true;
    }
    if (v.is_number() || v.is_bool()) {
        out = boost::json::serialize(v);
        return true;
    }
    return false;
}

bool is_json_media_type(std::string_view content_type) {
    const std::string type = lower(content_type.substr(0, content_type.find(';')));
    const auto trimmed_end = type.find_last_not_of(" \t");
    const std::string t = trimmed_end == std::string::npos ? std::string() : type.substr(0, trimmed_end + 1);
    return t == "application/json" || (t.size() > 5 && t.compare(t.size() - 5, 5, "+json") == 0);
}

bool is_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t extra = 0;
        uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            extra = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + extra >= s.size()) return false;
        for (std::size_t k = 1; k <= extra; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        const bool overlong = (extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000);
        if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += extra + 1;
    }
    return true;
}

std::string base64(std::string_view in) {
    static constexpr char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const uint32_t n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                           static_cast<unsigned char>(in[i + 2]);
        out += {table[(n >> 18) & 63], table[(n >> 12) & 63], table[(n >> 6) & 63], table[n & 63]};
    }
    if (i + 1 == in.size()) {
        const uint32_t n = static_cast<unsigned char>(in[i]) << 16;
        out += {table[(n >> 18) & 63], table[(n >> 12) & 63], '=', '='};
    } else if (i + 2 == in.size()) {
        const uint32_t n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
        out += {table[(n >> 18) & 63], table[(n >> 12) & 63], table[(n >> 6) & 63], '='};
    }
    return out;
}

// Retry-After in delta-seconds; -1 when absent or given as an HTTP date.
int64_t retry_after_ms(const sdk::http_response& response) {
    const std::string* value = response.header("retry-after");
    if (value == nullptr) return -1;
    std::string_view v = *value;
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    int64_t seconds = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
    if (ec != std::errc() || end != v.data() + v.size() || seconds < 0) return -1;
    if (seconds > std::numeric_limits<int64_t>::max() / 1000) return std::numeric_limits<int64_t>::max();
    return seconds * 1000;
}

} // namespace

std::string url_origin(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return "(invalid URL)";
    const auto authority_start = scheme_end + 3;
    auto authority = url.substr(authority_start, url.find_first_of("/?#", authority_start) - authority_start);
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
    return lower(url.substr(0, scheme_end)) + "://" + std::string(authority);
}

std::variant<sdk::http_request, sdk::result> build_http_request(const boost::json::object& settings,
                                                                std::string_view idempotency_key) {
    sdk::http_request request;

    const auto* url = settings.if_contains("url");
    if (url == nullptr || !url->is_string() ||
        !(starts_with_nocase(url->get_string(), "http://") || starts_with_nocase(url->get_string(), "https://")) ||
        url_origin(url->get_string()).ends_with("://")) {
        return sdk::result::invalid_settings("settings.url must be an http:// or https:// URL");
    }
    request.url = url->get_string();

    if (const auto* method = settings.if_contains("method"); method != nullptr && !method->is_null()) {
        if (!method->is_string() || !is_token(method->get_string())) {
            return sdk::result::invalid_settings("settings.method must be an HTTP method name such as GET or POST");
        }
        request.method = method->get_string();
        std::transform(request.method.begin(), request.method.end(), request.method.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    }

    if (const auto* headers = settings.if_contains("headers"); headers != nullptr && !headers->is_null()) {
        if (!headers->is_object()) return sdk::result::invalid_settings(
                "settings.headers must be an object of header names to values");
        for (const auto& [name, value] : headers->get_object()) {
            sdk::http_header header;
            header.name = name;
            if (!is_token(header.name)) return sdk::result::invalid_settings(
                    "settings.headers has an invalid header name");
            if (!header_text(value, header.value) || has_line_break(header.value)) {
                return sdk::result::invalid_settings(
                        "settings.headers." + header.name + " must be a single-line string");
            }
            request.headers.push_back(std::move(header));
        }
    }

    if (const auto* body = settings.if_contains("body"); body != nullptr && !body->is_null()) {
        if (const auto* text = body->if_string()) {
            request.body = *text;
        } else {
            request.body = boost::json::serialize(*body);
            if (!has_header(request, "content-type")) request.headers.push_back({"Content-Type", "application/json"});
        }
    }

    if (const auto* timeout = settings.if_contains("timeout_ms"); timeout != nullptr && !timeout->is_null()) {
        boost::system::error_code ec;
        const auto ms = timeout->to_number<int64_t>(ec);
        if (ec || ms < 1 || ms > max_timeout_ms) {
            return sdk::result::invalid_settings(
                    "settings.timeout_ms must be an integer from 1 to " + std::to_string(max_timeout_ms));
        }
        request.timeout_ms = static_cast<uint32_t>(ms);
    }

    if (!idempotency_key.empty() && !has_header(request, "idempotency-key")) {
        request.headers.push_back({"Idempotency-Key", std::string(idempotency_key)});
    }
    return request;
}

boost::json::object response_output(const sdk::http_response& response) {
    boost::json::object headers;
    for (const auto& h : response.headers) {
        const std::string name = lower(h.name);
        if (auto* existing = headers.if_contains(name)) {
            auto& joined = existing->as_string();
            joined.append(", ");
            joined.append(h.value);
        } else {
            headers[name] = h.value;
        }
    }
    boost::json::object out;
    out["status"] = response.http_status;
    bool parsed = false;
    if (const std::string* type = response.header("content-type"); type != nullptr && is_json_media_type(*type)) {
        boost::system::error_code ec;
        auto body = boost::json::parse(response.body, ec);
        if (!ec) {
            out["body"] = std::move(body);
            parsed = true;
        }
    }
    if (!parsed) {
        if (is_utf8(response.body)) {
            out["body"] = response.body;
        } else {
            out["body"] = base64(response.body);
            out["body_encoding"] = "base64";
        }
    }
    out["headers"] = std::move(headers);
    return out;
}

sdk::result map_http_response(const sdk::http_response& response, std::string_view method, std::string_view url) {
    const std::string where = std::string(method) + " " + url_origin(url);
    const std::string detail = response.error_message.empty() ? std::string() : " (" + response.error_message + ")";
    switch (response.status) {
    case SR_OK: break;
    case SR_ERR_TIMEOUT: return sdk::result::retryable("action_timeout", where + " timed out" + detail);
    case SR_ERR_CONNECT: return sdk::result::retryable("connection_failed", where + ": could not connect" + detail);
    case SR_ERR_IO: return sdk::result::retryable("connection_failed", where + ": the connection broke" + detail);
    case SR_ERR_CANCELLED: return sdk::result::fatal("cancelled", where + " was cancelled");
    case SR_ERR_TOO_LARGE:
        return sdk::result::fatal("action_execution_failed", where + ": the response exceeded the size limit");
    case SR_ERR_UNSUPPORTED: return sdk::result::fatal("system_error", where + " not sent" + detail);
    default: return sdk::result::fatal("action_execution_failed", where + " failed" + detail);
    }

    const int status = response.http_status;
    const std::string answered = where + " answered HTTP " + std::to_string(status);
    if (status == 429) {
        return sdk::result::retryable("connection_rate_limited", answered, retry_after_ms(response))
            .with_output(response_output(response));
    }
    if (status == 401 || status == 403) {
        return sdk::result::fatal("connection_invalid", answered).with_output(response_output(response));
    }
    if (status >= 400 && status < 500) {
        return sdk::result::fatal("action_validation_failed", answered).with_output(response_output(response));
    }
    if (status >= 500) {
        return sdk::result::retryable("action_execution_failed", answered).with_output(response_output(response));
    }
    return sdk::result::success(response_output(response));
}

} // namespace sr::plugins::system
