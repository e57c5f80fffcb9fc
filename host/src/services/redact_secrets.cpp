#include "services/redact_secrets.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <vector>

namespace sr::host {
namespace {

// Shorter values ("true", ids like "1") would mask ordinary words.
constexpr std::size_t min_secret_length = 4;

void collect(const boost::json::value& v, std::vector<std::string>& out) {
    if (auto s = v.if_string()) {
        if (s->size() >= min_secret_length) out.emplace_back(*s);
    } else if (auto o = v.if_object()) {
        for (const auto& kv : *o) collect(kv.value(), out);
    } else if (auto a = v.if_array()) {
        for (const auto& e : *a) collect(e, out);
    }
}

} // namespace

std::string redact_secrets(std::string_view message, std::string_view connection_json) {
    std::string out(message);
    if (connection_json.empty()) return out;
    boost::system::error_code ec;
    auto parsed = boost::json::parse(connection_json, ec);
    if (ec) return out;
    std::vector<std::string> secrets;
    collect(parsed, secrets);
    // Longest first, so a secret that contains another is masked whole.
    std::sort(secrets.begin(), secrets.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    for (const auto& secret : secrets) {
        for (auto pos = out.find(secret); pos != std::string::npos; pos = out.find(secret, pos)) {
            out.replace(pos, secret.size(), "[redacted]");
            pos += 10;
        }
    }
    return out;
}

} // namespace sr::host
