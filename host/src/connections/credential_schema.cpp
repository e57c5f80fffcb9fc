#include "connections/credential_schema.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
// GCC 12 reports a false maybe-uninitialized inside <regex>, which valijson uses for
// "pattern"; silenced for these headers only, as core does.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <regex>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>
#pragma GCC diagnostic pop

namespace sr::host {

namespace json = boost::json;

namespace {

constexpr std::string_view hidden = "••••••••";
constexpr std::string_view mask_prefix = "••••";
constexpr std::size_t min_length_to_show_tail = 12;
constexpr std::size_t scrub_min_length = 4; // shorter values are too common to find reliably

// Errors that only say "something below failed"; the error below says what.
bool is_wrapper(std::string_view d) {
    for (std::string_view prefix : {"Failed to validate against schema associated with property name",
                                    "Failed to validate item #", "Failed to validate against additional properties schema",
                                    "Failed to validate against schema associated with pattern"})
        if (d.starts_with(prefix)) return true;
    return false;
}

// The member an object-level error is about ("Missing required property 'x'.").
std::string named_member(std::string_view d) {
    for (std::string_view prefix : {std::string_view("Missing required property '"),
                                    std::string_view("'additionalProperties' constraints: '")}) {
        const auto at = d.find(prefix);
        if (at == std::string_view::npos) continue;
        auto rest = d.substr(at + prefix.size());
        const auto end = rest.rfind('\'');
        if (end != std::string_view::npos && end > 0) return std::string(rest.substr(0, end));
    }
    return {};
}

std::string problem_path(const std::vector<std::string>& context) {
    std::string path = "credentials";
    for (std::size_t i = 1; i < context.size(); ++i) {
        std::string_view seg = context[i];
        if (seg.size() >= 2 && seg.front() == '[' && seg.back() == ']') seg = seg.substr(1, seg.size() - 2);
        (path += '.') += seg;
    }
    return path;
}

void collect_strings(const json::value& v, std::vector<std::string>& out) {
    if (v.is_string()) {
        if (v.get_string().size() >= scrub_min_length) out.emplace_back(v.get_string());
    } else if (v.is_object()) {
        for (const auto& [k, item] : v.get_object()) collect_strings(item, out);
    } else if (v.is_array()) {
        for (const auto& item : v.get_array()) collect_strings(item, out);
    }
}

// A last line of defence: valijson's messages describe constraints, not values, but a
// message that somehow holds a credential value is replaced rather than trusted.
std::string scrubbed(std::string message, const std::vector<std::string>& values) {
    for (const auto& s : values)
        if (message.find(s) != std::string::npos) return "the value does not satisfy the schema";
    return message;
}

bool printable_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

json::value masked_value(const json::value& v) {
    if (v.is_string()) {
        std::string_view s = v.get_string();
        if (s.size() >= min_length_to_show_tail && printable_ascii(s.substr(s.size() - 4)))
            return json::string(std::string(mask_prefix) + std::string(s.substr(s.size() - 4)));
    }
    return json::string(hidden);
}

json::value mask_nested(const json::value& v);

json::object mask_object(const json::object& o, const std::set<std::string>& declared) {
    json::object out;
    for (const auto& [key, value] : o) {
        const std::string name(key);
        if (declared.count(name) || looks_secret(name)) out.emplace(key, masked_value(value));
        else out.emplace(key, mask_nested(value));
    }
    return out;
}

// Declared secret_fields name top-level fields; below that only the name heuristic applies.
json::value mask_nested(const json::value& v) {
    static const std::set<std::string> none;
    if (v.is_object()) return mask_object(v.get_object(), none);
    if (v.is_array()) {
        json::array out;
        for (const auto& item : v.get_array()) out.push_back(mask_nested(item));
        return out;
    }
    return v;
}

} // namespace

bool looks_secret(std::string_view field_name) {
    std::string n(field_name);
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (std::string_view part : {"password", "passwd", "secret", "token", "credential", "authorization", "private", "apikey", "api_key"})
        if (n.find(part) != std::string::npos) return true;
    return n == "key" || n.ends_with("_key") || n.ends_with("-key");
}

credential_schema credential_schema::from_manifest(const json::value& manifest, std::string_view type) {
    credential_schema out;
    const auto* root = manifest.if_object();
    const auto* list = root ? root->if_contains("connections") : nullptr;
    if (!list || !list->is_array()) return out;
    for (const auto& c : list->get_array()) {
        const auto* o = c.if_object();
        const auto* id = o ? o->if_contains("id") : nullptr;
        if (!id || !id->is_string() || id->get_string() != type) continue;
        out.connection_type = std::string(type);
        if (const auto* s = o->if_contains("schema")) out.schema = *s;
        if (const auto* f = o->if_contains("secret_fields"); f && f->is_array())
            for (const auto& name : f->get_array())
                if (name.is_string()) out.secret_fields.emplace(name.get_string());
        break;
    }
    return out;
}

json::array credential_schema::validate(const json::value& credentials) const {
    json::array problems;
    valijson::Schema parsed;
    try {
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        valijson::adapters::BoostJsonAdapter adapter(schema);
        parser.populateSchema(adapter, parsed);
    } catch (const std::exception& e) {
        problems.push_back(json::object{{"path", "credentials"},
                                        {"message", fmt::format("the connection schema of '{}' cannot be used: {}", connection_type, e.what())}});
        return problems;
    }
    valijson::Validator validator;
    valijson::adapters::BoostJsonAdapter target(credentials);
    valijson::ValidationResults results;
    if (validator.validate(parsed, target, &results)) return problems;
    std::vector<std::string> values;
    collect_strings(credentials, values);
    for (const auto& error : results) {
        if (is_wrapper(error.description)) continue;
        std::string path = problem_path(error.context);
        if (auto name = named_member(error.description); !name.empty()) (path += '.') += name;
        problems.push_back(json::object{{"path", path}, {"message", scrubbed(error.description, values)}});
    }
    return problems;
}

json::object credential_schema::mask(const json::object& credentials) const {
    return mask_object(credentials, secret_fields);
}

} // namespace sr::host
