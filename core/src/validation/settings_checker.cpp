#include "settings_checker.hpp"

#include <algorithm>
#include <charconv>
#include <exception>
#include <string_view>

#include <boost/json.hpp>
#include <fmt/format.h>
// GCC 12 reports a false maybe-uninitialized inside <regex>, which valijson uses for
// "pattern"; silence it for these headers only (as manifest_validator.cpp does).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <regex>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>
#pragma GCC diagnostic pop

namespace sr::core::validation {

namespace json = boost::json;

struct settings_checker::cached_schema {
    valijson::Schema schema;
    std::string error; // set when the schema could not be parsed
};

namespace {

// Deeper settings are still validated; only expressions below this depth stay in place.
constexpr int max_strip_depth = 64;

bool is_expression(const json::value& v) {
    return v.is_string() && std::string_view(v.get_string()).find("{{") != std::string_view::npos;
}

// A `required` name dropped from the schema object found by following `steps` from the root.
struct required_removal {
    std::vector<std::string> steps;
    std::string name;
};

const json::object* member_object(const json::object* schema, std::string_view key) {
    if (!schema) return nullptr;
    auto* v = schema->if_contains(key);
    return v && v->is_object() ? &v->get_object() : nullptr;
}

bool lists_required(const json::object* schema, std::string_view name) {
    auto* req = schema ? schema->if_contains("required") : nullptr;
    if (!req || !req->is_array()) return false;
    const auto& arr = req->get_array();
    return std::any_of(arr.begin(), arr.end(), [&](const json::value& v) { return v.is_string() && v.get_string() == name; });
}

// Copies `instance` without its expression-valued members, recording which `required` names
// of the matching schema object must go too. Only what is kept is copied: settings made of
// expressions cost nothing. Arrays holding an expression are left out whole: their length and
// item types are unknown until the run.
class expression_stripper {
public:
    std::vector<required_removal> removals;

    json::object strip_object(const json::object& instance, const json::object* schema, int depth) {
        json::object out;
        for (const auto& [key, value] : instance) {
            if (is_expression(value) || (value.is_array() && has_expression_item(value.get_array()))) {
                if (lists_required(schema, key)) removals.push_back({steps_, std::string(key)});
                continue;
            }
            if (depth >= max_strip_depth || !(value.is_object() || value.is_array()) || !holds_expression(value)) {
                out.emplace(key, value);
                continue;
            }
            const auto [sub, step] = property_schema(schema, key);
            push_steps(step, key);
            if (value.is_object()) out.emplace(key, strip_object(value.get_object(), sub, depth + 1));
            else out.emplace(key, strip_items(value.get_array(), sub, depth + 1));
            pop_steps(step);
        }
        return out;
    }

private:
    std::vector<std::string> steps_; // from the schema root to the schema object in hand

    static bool has_expression_item(const json::array& arr) {
        return std::any_of(arr.begin(), arr.end(), is_expression);
    }

    // The schema a member is checked against: properties[key], else additionalProperties.
    static std::pair<const json::object*, const char*> property_schema(const json::object* schema, std::string_view key) {
        if (auto* props = member_object(schema, "properties"))
            if (auto* p = member_object(props, key)) return {p, "properties"};
        if (auto* extra = member_object(schema, "additionalProperties")) return {extra, "additionalProperties"};
        return {nullptr, nullptr};
    }

    void push_steps(const char* step, std::string_view key) {
        if (!step) return;
        steps_.emplace_back(step);
        if (std::string_view(step) == "properties") steps_.emplace_back(key);
    }

    void pop_steps(const char* step) {
        if (!step) return;
        steps_.pop_back();
        if (std::string_view(step) == "properties") steps_.pop_back();
    }

    json::array strip_items(const json::array& items, const json::object* schema, int depth) {
        const json::object* item_schema = member_object(schema, "items");
        if (item_schema) steps_.emplace_back("items");
        json::array out;
        out.reserve(items.size());
        for (const auto& item : items) {
            if (item.is_object() && holds_expression(item)) out.emplace_back(strip_object(item.get_object(), item_schema, depth + 1));
            else out.push_back(item);
        }
        if (item_schema) steps_.pop_back();
        return out;
    }
};

std::string variant_key(const std::vector<required_removal>& removals) {
    std::string key;
    for (const auto& r : removals) {
        for (const auto& s : r.steps) (key += s) += '\x1f';
        (key += r.name) += '\x1e';
    }
    return key;
}

json::value apply_removals(json::value schema, const std::vector<required_removal>& removals) {
    for (const auto& r : removals) {
        json::value* at = &schema;
        for (const auto& s : r.steps) {
            if (!at->is_object() || !at->get_object().contains(s)) {
                at = nullptr;
                break;
            }
            at = &at->get_object()[s];
        }
        if (!at || !at->is_object()) continue;
        auto* req = at->get_object().if_contains("required");
        if (!req || !req->is_array()) continue;
        auto& arr = req->get_array();
        auto it = std::remove_if(arr.begin(), arr.end(),
                                 [&](const json::value& v) { return v.is_string() && v.get_string() == r.name; });
        arr.erase(it, arr.end());
    }
    return schema;
}

// A valijson context segment is "[name]" for members and "[index]" for items; which one it
// is follows from the instance at that point.
std::string problem_path(const std::vector<std::string>& context, const json::value& settings) {
    std::string path = "settings";
    const json::value* at = &settings;
    for (std::size_t i = 1; i < context.size(); ++i) {
        std::string_view seg = context[i];
        if (seg.size() >= 2 && seg.front() == '[' && seg.back() == ']') seg = seg.substr(1, seg.size() - 2);
        if (at && at->is_array()) {
            std::size_t index = 0;
            auto [end, ec] = std::from_chars(seg.data(), seg.data() + seg.size(), index);
            (void)end;
            path += fmt::format("[{}]", seg);
            at = ec == std::errc{} && index < at->get_array().size() ? &at->get_array()[index] : nullptr;
        } else {
            (path += '.') += seg;
            at = at && at->is_object() ? at->get_object().if_contains(seg) : nullptr;
        }
    }
    return path;
}

// Errors that only say "something below failed"; the error below says what.
bool is_wrapper(std::string_view description) {
    for (std::string_view prefix : {"Failed to validate against schema associated with property name",
                                    "Failed to validate item #", "Failed to validate against additional properties schema",
                                    "Failed to validate against schema associated with pattern"})
        if (description.starts_with(prefix)) return true;
    return false;
}

// The member an object-level error is about, so the path can name it: a missing required
// property, or one that no 'properties' or 'additionalProperties' allows.
std::string named_member(std::string_view description) {
    for (std::string_view prefix : {std::string_view("Missing required property '"),
                                    std::string_view("'additionalProperties' constraints: '")}) {
        const auto at = description.find(prefix);
        if (at == std::string_view::npos) continue;
        auto rest = description.substr(at + prefix.size());
        const auto end = rest.rfind('\'');
        if (end != std::string_view::npos && end > 0) return std::string(rest.substr(0, end));
    }
    return {};
}

bool is_trivial_schema(const json::value& schema) {
    return (schema.is_object() && schema.get_object().empty()) || (schema.is_bool() && schema.get_bool()) ||
           schema.is_null();
}

} // namespace

bool holds_expression(const json::value& value) {
    std::vector<const json::value*> stack{&value};
    while (!stack.empty()) {
        const json::value* v = stack.back();
        stack.pop_back();
        if (is_expression(*v)) return true;
        if (v->is_array())
            for (const auto& item : v->get_array()) stack.push_back(&item);
        else if (v->is_object())
            for (const auto& member : v->get_object()) stack.push_back(&member.value());
    }
    return false;
}

settings_checker::settings_checker() = default;
settings_checker::~settings_checker() = default;

std::size_t settings_checker::parsed_count() const {
    std::lock_guard lock(mutex_);
    return cache_.size();
}

const settings_checker::cached_schema* settings_checker::find_schema(const engine::action_info& info,
                                                                     const std::string& variant) const {
    std::lock_guard lock(mutex_);
    auto it = cache_.find({&info, variant});
    return it == cache_.end() ? nullptr : it->second.get();
}

const settings_checker::cached_schema& settings_checker::add_schema(const engine::action_info& info,
                                                                    const std::string& variant,
                                                                    const json::value& schema_json,
                                                                    std::unique_ptr<cached_schema>& uncached) {
    auto parsed = std::make_unique<cached_schema>();
    try {
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        valijson::adapters::BoostJsonAdapter adapter(schema_json);
        parser.populateSchema(adapter, parsed->schema);
    } catch (const std::exception& e) {
        parsed->error = e.what();
    }
    std::lock_guard lock(mutex_);
    // Variants come from user input; past the bound they are parsed for one use only.
    if (cache_.size() >= max_cached_schemas) {
        uncached = std::move(parsed);
        return *uncached;
    }
    // Another thread may have parsed the same schema meanwhile; keep the first.
    auto it = cache_.try_emplace({&info, variant}, std::move(parsed)).first;
    return *it->second;
}

void settings_checker::check(std::span<const settings_job> jobs, std::vector<problem>& out) {
    valijson::Validator validator; // one per batch: it caches compiled "pattern" regexes
    for (const auto& job : jobs) {
        const json::value& schema = job.info->settings_schema;
        if (is_trivial_schema(schema)) continue;
        const json::value* instance = &job.node->settings;
        json::value stripped;
        const cached_schema* parsed = nullptr;
        std::unique_ptr<cached_schema> uncached;
        if (job.has_expressions && job.node->settings.is_object()) {
            expression_stripper stripper;
            stripped = stripper.strip_object(job.node->settings.get_object(),
                                             schema.is_object() ? &schema.get_object() : nullptr, 0);
            instance = &stripped;
            if (!stripper.removals.empty()) {
                const std::string variant = variant_key(stripper.removals);
                parsed = find_schema(*job.info, variant);
                if (!parsed)
                    parsed = &add_schema(*job.info, variant, apply_removals(schema, stripper.removals), uncached);
            }
        }
        if (!parsed) parsed = find_schema(*job.info, {});
        if (!parsed) parsed = &add_schema(*job.info, {}, schema, uncached);
        if (!parsed->error.empty()) {
            out.push_back({"invalid_schema", job.node->id, {}, {},
                           fmt::format("the settings schema of '{}' cannot be used: {}", job.node->type, parsed->error)});
            continue;
        }
        valijson::adapters::BoostJsonAdapter target(*instance);
        // Most settings are valid: check without collecting first (it stops at the first
        // failure and allocates nothing for results), then again to collect every error.
        if (validator.validate(parsed->schema, target, nullptr)) continue;
        valijson::ValidationResults results;
        validator.validate(parsed->schema, target, &results);
        for (const auto& error : results) {
            if (is_wrapper(error.description)) continue;
            std::string path = problem_path(error.context, *instance);
            if (auto name = named_member(error.description); !name.empty()) (path += '.') += name;
            std::string message = fmt::format("{}: {}", path, error.description);
            out.push_back({"invalid_settings", job.node->id, {}, std::move(path), std::move(message)});
        }
    }
}

} // namespace sr::core::validation
